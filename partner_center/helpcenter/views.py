"""Pages: the FAQ (search, categories, one entry) and why a menu is missing."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from partner_center.accounts.access import capability_required
from partner_center.paging import Paginator

from .filters import FAQSearchForm
from .models import FAQEntry
from .permissions import READ_HELP
from .selectors import faq_entries, menu_explanations, related_entries


@capability_required(READ_HELP)
def index(request):
    form = FAQSearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = faq_entries(
        query=params.get("q", ""), category=params.get("category", ""), sort=params.get("sort", "")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "helpcenter/index.html",
        {
            "page_title": _("Help center"),
            "form": form,
            "page_obj": page,
            "query": params.get("q", ""),
            "categories": FAQEntry.Category.choices,
            "current_category": params.get("category", ""),
        },
    )


@capability_required(READ_HELP)
def entry(request, slug):
    item = get_object_or_404(FAQEntry, slug=slug, is_published=True)
    return render(
        request,
        "helpcenter/entry.html",
        {"page_title": item.question, "entry": item, "related": related_entries(item)},
    )


@capability_required(READ_HELP)
def menus(request):
    return render(
        request,
        "helpcenter/menus.html",
        {"page_title": _("Why is a menu missing?"), "sections": menu_explanations(request.user)},
    )
