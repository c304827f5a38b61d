from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets

from partner_center.accounts.access import HasCapability

from .filters import FAQSearchForm
from .models import FAQEntry
from .permissions import READ_HELP
from .selectors import faq_entries
from .serializers import FAQEntrySerializer


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Search words, Chinese or English."),
        OpenApiParameter("category", str, enum=FAQEntry.Category.values),
        OpenApiParameter("sort", str, enum=["updated"]),
    ]
)
class FAQEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Help-center entries. `question` and `answer` follow the request's language
    (Accept-Language); both languages are included as well."""

    permission_classes = [HasCapability]
    required_capability = READ_HELP
    serializer_class = FAQEntrySerializer
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FAQEntry.objects.none()
        if self.action != "list":
            return FAQEntry.objects.filter(is_published=True)
        form = FAQSearchForm(self.request.query_params)
        params = form.cleaned_data if form.is_valid() else {}
        return faq_entries(
            query=params.get("q", ""),
            category=params.get("category", ""),
            sort=params.get("sort", ""),
        )
