from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .facts import FACTS, PLACEHOLDER, render_facts
from .search import index_text


class FAQEntry(models.Model):
    """One question and answer of the help center, in Chinese and English."""

    class Category(models.TextChoices):
        PCE = "pce", _("PCE program")
        OPPORTUNITIES = "opportunities", _("Opportunities (PO and HO)")
        INCENTIVES = "incentives", _("Incentives and performance")
        BILLING = "billing", _("Bills and invoices")
        CERTIFICATION = "certification", _("Certification")
        ACCOUNT = "account", _("Partner account and members")
        CUSTOMERS = "customers", _("Customers and resellers")
        PORTAL = "portal", _("Using the portal")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    order = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"), default=100)
    question_zh = models.CharField(_("question (Chinese)"), max_length=200)
    answer_zh = models.TextField(
        _("answer (Chinese)"), help_text=_("Plain text; an empty line starts a paragraph.")
    )
    question_en = models.CharField(_("question (English)"), max_length=200)
    answer_en = models.TextField(_("answer (English)"))
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words people search with, in either language."),
    )
    link_url_name = models.CharField(
        _("page (URL name)"),
        max_length=100,
        blank=True,
        help_text=_("The page where the user does this, as a URL name, e.g. programs:pce."),
    )
    link_path = models.CharField(
        _("page (path)"),
        max_length=200,
        blank=True,
        help_text=_("Used when no URL name is given, e.g. /opportunities/po/."),
    )
    link_label_zh = models.CharField(_("link text (Chinese)"), max_length=60, blank=True)
    link_label_en = models.CharField(_("link text (English)"), max_length=60, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # Search index texts (see search.py), rebuilt on every save.
    index_question = models.TextField(editable=False, blank=True)
    index_answer = models.TextField(editable=False, blank=True)

    # Who changed what, and when (django-simple-history; shown in admin).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("help entry")
        verbose_name_plural = _("help entries")
        ordering = ["category", "order", "id"]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        # The index holds the numbers the reader sees (see facts.py), not the placeholders.
        self.index_question = index_text(
            render_facts(self.question_zh), render_facts(self.question_en), self.keywords
        )
        self.index_answer = index_text(render_facts(self.answer_zh), render_facts(self.answer_en))
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "index_question",
                "index_answer",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def clean(self):
        if self.link_url_name:
            try:
                reverse(self.link_url_name)
            except NoReverseMatch as exc:
                raise ValidationError(
                    {"link_url_name": _("No page without parameters has this URL name.")}
                ) from exc
        if self.link_path and not self.link_path.startswith("/"):
            raise ValidationError({"link_path": _("A path starts with /.")})
        errors = {}
        for field in ("question_zh", "answer_zh", "question_en", "answer_en"):
            unknown = sorted(set(PLACEHOLDER.findall(getattr(self, field))) - set(FACTS))
            if unknown:
                errors[field] = _("Unknown placeholder: %(names)s.") % {
                    "names": ", ".join("{" + name + "}" for name in unknown)
                }
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _chinese() -> bool:
        return (get_language() or "zh-hans").lower().startswith("zh")

    @property
    def question(self) -> str:
        return render_facts(self.question_zh if self._chinese() else self.question_en)

    @property
    def answer(self) -> str:
        return render_facts(self.answer_zh if self._chinese() else self.answer_en)

    # The texts in each language with their numbers filled in (facts.py), for the API.
    @property
    def question_zh_text(self) -> str:
        return render_facts(self.question_zh)

    @property
    def answer_zh_text(self) -> str:
        return render_facts(self.answer_zh)

    @property
    def question_en_text(self) -> str:
        return render_facts(self.question_en)

    @property
    def answer_en_text(self) -> str:
        return render_facts(self.answer_en)

    @property
    def link_label(self) -> str:
        return (self.link_label_zh if self._chinese() else self.link_label_en) or ""

    @property
    def link_url(self) -> str:
        """Where the user does the thing: the named page, else the plain path."""
        if self.link_url_name:
            try:
                return reverse(self.link_url_name)
            except NoReverseMatch:
                pass
        return self.link_path
