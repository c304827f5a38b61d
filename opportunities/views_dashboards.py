"""Pipeline pages (issue [5]): the partner's and BD's pipeline dashboards, the PO/HO
assessment (a partner's own page, BD's overview across partners with its export), and the
partner's HO profile with the HO requirements (lead routing, R5.7/R5.8)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from partner_center import exports
from partner_center.accounts.access import capability_required
from partner_center.accounts.models import Partner
from partner_center.paging import Paginator
from partner_center.periods import current_period, parse_period, period_choices
from partner_center.views_common import posted

from . import assessment, dashboards, routing
from .catalog import Region
from .charts import Bar, bar_chart
from .forms_pipeline import AssessmentFilterForm, DashboardFilterForm, HOProfileForm
from .permissions import MANAGE_HO_PROFILE, REVIEW_OPPORTUNITIES, VIEW_PIPELINE
from .pipeline_models import HOProfile
from .services.pipeline import update_ho_profile

PAGE_SIZE = 50
# The tone of each funnel step and stage in the charts (see charts.TONES).
TONE = {
    "rejected": "muted",
    "declined": "muted",
    "expired": "muted",
    "lost": "muted",
    "returned": "warn",
    "verified": "good",
    "accepted": "good",
    "won": "good",
}


def short_money(value) -> str:
    value = float(value or 0)
    if value >= 1_000_000:
        return f"¥{value / 1_000_000:,.1f}M"
    if value >= 10_000:
        return f"¥{value / 1_000:,.0f}k"
    return f"¥{value:,.0f}"


def funnel_chart(steps, kind: str, title: str):
    return bar_chart(
        [
            Bar(
                s.label,
                s.count,
                f"{s.count} · {short_money(s.amount)}",
                s.state,
                TONE.get(s.state, ""),
            )
            for s in steps
            if s.kind == kind
        ],
        title=title,
        empty_text=_("Nothing in this window yet"),
    )


def stage_chart(stages, title: str):
    return bar_chart(
        [
            Bar(
                _("%(stage)s (%(probability)s%%)")
                % {"stage": r.label, "probability": r.probability},
                float(r.amount),
                f"{short_money(r.amount)} → {short_money(r.weighted)}",
                r.stage or "none",
                TONE.get(r.stage, ""),
            )
            for r in stages
        ],
        title=title,
        empty_text=_("No verified or accepted opportunity yet"),
    )


# ---- Dashboards --------------------------------------------------------------------------


def _charts(board) -> dict:
    return {
        "po_chart": funnel_chart(board.funnel, "po", _("POs by state")),
        "ho_chart": funnel_chart(board.funnel, "ho", _("HOs by state")),
        "stage_chart": stage_chart(board.stages, _("Amount by stage, and weighted")),
    }


def _dashboard(request, template: str, title: str, form, board, **extra):
    """A pipeline dashboard: its filter form, figures and charts."""
    context = {"page_title": title, "filter": {"form": form}, "board": board}
    return render(request, template, {**context, **extra, **_charts(board)})


@capability_required(VIEW_PIPELINE)
def partner_dashboard(request):
    form = DashboardFilterForm(request.GET)
    board = dashboards.partner_dashboard(request.user.partner_id, form.filters())
    return _dashboard(
        request, "opportunities/dashboards/partner.html", _("Pipeline dashboard"), form, board
    )


@capability_required(REVIEW_OPPORTUNITIES)
def bd_dashboard(request):
    form = DashboardFilterForm(request.GET, bd=True)
    board = dashboards.bd_dashboard(form.filters(), breakdown_by=form.value("by", "bd_owner"))
    return _dashboard(
        request,
        "opportunities/dashboards/bd.html",
        _("BD pipeline dashboard"),
        form,
        board,
        breakdown_label=dashboards.BREAKDOWNS[board.breakdown_by],
    )


# ---- Assessment --------------------------------------------------------------------------


def _period(request) -> str:
    return parse_period(request.GET.get("period"), current_period())


def _assessment_page(request, partner: Partner, *, template: str):
    period = _period(request)
    figures = assessment.for_partner(partner.pk, period)
    return render(
        request,
        template,
        {
            "page_title": _("PO/HO assessment"),
            "partner": partner,
            "period": period,
            "period_choices": period_choices(),
            "figures": figures,
            "chart": bar_chart(
                [
                    Bar(f.period, f.total_count, f"{f.po_count} + {f.ho_count}", f.period)
                    for f in reversed(figures.history)
                ],
                title=_("Counted opportunities per billing period"),
                empty_text=_("Nothing counted in these periods yet"),
            ),
        },
    )


@capability_required(VIEW_PIPELINE)
def assessment_mine(request):
    return _assessment_page(
        request, request.user.partner, template="opportunities/dashboards/assessment.html"
    )


@capability_required(REVIEW_OPPORTUNITIES)
def assessment_partner(request, pk: int):
    partner = get_object_or_404(Partner, pk=pk)
    return _assessment_page(request, partner, template="opportunities/dashboards/assessment.html")


def _overview(request):
    form = AssessmentFilterForm(request.GET)
    period = _period(request)
    rows = assessment.overview(
        period,
        partner_type=form.value("partner_type"),
        region=form.value("region"),
        sort=form.value("sort", assessment.DEFAULT_SORT),
    )
    return form, period, rows


@capability_required(REVIEW_OPPORTUNITIES)
def assessment_overview(request):
    form, period, rows = _overview(request)
    query = request.GET.copy()
    query.pop("page", None)
    query["period"] = period
    return render(
        request,
        "opportunities/dashboards/assessment_overview.html",
        {
            "page_title": _("PO/HO assessment of partners"),
            "filter": {"form": form},
            "period": period,
            "period_choices": period_choices(),
            "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "export_query": query.urlencode(),
        },
    )


@capability_required(REVIEW_OPPORTUNITIES)
def assessment_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, period, rows = _overview(request)
    header, body = assessment.export_rows(rows.iterator(chunk_size=500))
    filename = f"po-ho-assessment-{period}"
    if fmt == "csv":
        return exports.csv_response(exports.csv_stream(header, body), filename=f"{filename}.csv")
    writer = exports.XlsxWriter(title=filename, widths=(36, 12, 18, 12, 18, 12, 18))
    writer.header(header)
    for values in body:
        writer.row(values, money_columns=(2, 4, 6))
    return exports.xlsx_response(writer.temporary_file(), filename=f"{filename}.xlsx")


# ---- HO profile and requirements ---------------------------------------------------------


@capability_required(VIEW_PIPELINE)
def ho_profile(request):
    partner_id = request.user.partner_id
    stored = HOProfile.objects.filter(partner_id=partner_id).first()
    initial = (
        {"industries": stored.industries, "regions": stored.regions, "products": stored.products}
        if stored
        else {}
    )
    form = HOProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = posted(
        request,
        form,
        lambda data: update_ho_profile(actor=request.user, partner_id=partner_id, **data),
        message=_("Your HO profile is saved."),
        done="opportunities:ho_profile",
    )
    if saved:
        return saved
    status = 400 if request.method == "POST" else 200
    profile = routing.profile_of(partner_id)
    return render(
        request,
        "opportunities/dashboards/ho_profile.html",
        {
            "page_title": _("HO profile and requirements"),
            "form": form,
            "can_edit": MANAGE_HO_PROFILE.allows(request.user),
            "profile": profile,
            "requirements": routing.requirements(partner_id),
            "regions": dict(Region.choices),
        },
        status=status,
    )


def rank_share_form(form, candidates) -> None:
    """Order the share form's partners by fit and show each one's score (R5.7)."""
    from django.db.models import Case, IntegerField, When

    position = {c.partner.pk: i for i, c in enumerate(candidates)}
    scores = {c.partner.pk: c for c in candidates}
    field = form.fields["partner"]
    if position:
        field.queryset = field.queryset.order_by(
            Case(
                *(When(pk=pk, then=i) for pk, i in position.items()),
                default=len(position),
                output_field=IntegerField(),
            ),
            "name",
        )

    def label(partner):
        found = scores.get(partner.pk)
        if found is None:
            return partner.name
        if not found.eligible:
            return _("%(name)s (not advised: %(reason)s)") % {
                "name": partner.name,
                "reason": found.reason,
            }
        return _("%(name)s · %(score)s points") % {"name": partner.name, "score": found.score}

    field.label_from_instance = label
    best = next((c for c in candidates if c.eligible), None)
    if best is not None and not form.is_bound:
        field.initial = best.partner.pk
