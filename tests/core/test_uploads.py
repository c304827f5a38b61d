"""The one upload module: the same bad-file set is refused, with a clear message and nothing
stored, for every upload field through every door (service, page, API, admin); good files
are stored under generated names; downloads carry the safe headers."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.urls import reverse

from certification import services as cert_services
from certification.models import Attachment
from opportunities import services as opp_services
from opportunities.models import Opportunity, POImport
from partner_center import uploads
from partner_center.errors import DomainError
from tests.files_kit import (
    BAD_DOCUMENTS,
    BAD_SPREADSHEETS,
    GOOD_DOCUMENTS,
    expected_words,
    image_bytes,
    pdf_bytes,
    xlsx_bytes,
)
from tests.helpers import api_client
from tests.opportunities.conftest import make_po

pytestmark = pytest.mark.django_db

CARD = "6222021234567890128"  # passes the Luhn check
BAD_IDS = [case for case, *_ in BAD_DOCUMENTS]
SHEET_IDS = [case for case, *_ in BAD_SPREADSHEETS]


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored():
    assert stored_files() == []
    assert not Attachment.objects.exists()
    assert not POImport.objects.exists()
    assert not Opportunity.objects.exclude(consent_file="").exists()


# ---- The checks themselves -------------------------------------------------------------


@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_DOCUMENTS, ids=BAD_IDS)
def test_check_upload_refuses_the_bad_set(case, name, content, words):
    with pytest.raises(DomainError) as refused:
        uploads.check_upload(SimpleUploadedFile(name, content), field="evidence")
    assert words in str(refused.value.message)
    assert refused.value.field == "evidence" and refused.value.code == "bad_file"


@pytest.mark.parametrize(("case", "name", "content", "content_type"), GOOD_DOCUMENTS)
def test_check_upload_accepts_real_files(case, name, content, content_type):
    checked = uploads.check_upload(SimpleUploadedFile(name, content))
    assert checked.content_type == content_type and checked.size == len(content)
    assert checked.original_name == name


def test_the_pdf_check_reads_parsed_objects_not_bytes():
    """The regex of old saw raw bytes; a hex-escaped name is decoded by the parser."""
    from tests.files_kit import pdf_hex_launch

    content = pdf_hex_launch()
    assert b"/Launch" not in content and b"/L#61unch" in content
    import io

    from pypdf import PdfReader

    assert uploads._pdf_has_active_content(PdfReader(io.BytesIO(content)))


@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_SPREADSHEETS, ids=SHEET_IDS)
def test_check_spreadsheet_refuses_the_bad_set(case, name, content, words):
    with pytest.raises(DomainError) as refused:
        uploads.check_spreadsheet(SimpleUploadedFile(name, content))
    assert words in str(refused.value.message)
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pos.csv", "客户名称,项目名称\n江南智造,MES\n".encode()),
        ("pos.csv", "客户名称,项目名称\n江南智造,MES\n".encode("gb18030")),
        ("pos.xlsx", xlsx_bytes(["customer_name"], [["江南智造"]])),
    ],
)
def test_check_spreadsheet_accepts_real_files(name, content):
    assert uploads.check_spreadsheet(SimpleUploadedFile(name, content)).size == len(content)


def test_the_worker_scan_reads_every_xlsx_cell():
    """At upload an XLSX is checked by its zip, declared size and header; the import worker
    asks for every cell (`scan_cells=True`)."""
    content = xlsx_bytes(["customer_name"], [["x" * 6000]])
    uploads.check_spreadsheet(SimpleUploadedFile("pos.xlsx", content))
    with pytest.raises(DomainError) as refused:
        uploads.check_spreadsheet(SimpleUploadedFile("pos.xlsx", content), scan_cells=True)
    assert "longer than 5000 characters" in str(refused.value.message)


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        uploads.check_upload(SimpleUploadedFile("x.pdf.exe", b"MZ"))
    assert "扩展名" in str(refused.value.message)


# ---- Every field through every door ----------------------------------------------------


class Field:
    """One upload field: how to reach it through the service, the page and the API."""

    images_only = False

    def __init__(self, owner, partner, label=None):
        self.owner, self.partner, self.label = owner, partner, label


class ConsentFile(Field):
    name = "consent_file"

    def setup(self):
        self.po = make_po(self.owner)

    def service(self, upload):
        opp_services.po_submit(
            actor=self.owner,
            po=self.po,
            consent=opp_services.Consent(confirmed=True, method="email", file=upload),
        )

    def page(self, client, upload):
        return client.post(
            reverse("opportunities:po_submit", args=[self.po.pk]),
            {"consent_confirmed": "on", "consent_method": "email", "consent_file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def api(self, client, upload):
        return client.post(
            f"/api/v1/opportunities/po/{self.po.pk}/submit/",
            {"consent_confirmed": True, "consent_method": "email", "consent_file": upload},
            format="multipart",
        )


class SlotFile(Field):
    name = "file"

    def setup(self):
        self.cert = cert_services.enterprise_start(actor=self.owner, partner=self.partner)

    def service(self, upload):
        cert_services.enterprise_upload(
            actor=self.owner, certification=self.cert, position=1, upload=upload
        )

    def page(self, client, upload):
        return client.post(
            f"/certification/enterprise/{self.cert.pk}/",
            {"action": "upload", "position": 1, "file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def api(self, client, upload):
        return client.post(
            f"/api/v1/certification/enterprise/{self.cert.pk}/upload/",
            {"position": 1, "file": upload},
            format="multipart",
        )


class EvidenceFile(Field):
    name = "file"

    def setup(self):
        self.app = cert_services.label_apply(
            actor=self.owner, partner=self.partner, label=self.label, statement="交付过多个项目"
        )
        self.criterion = self.label.criteria.order_by("position").first()

    def service(self, upload):
        cert_services.label_add_evidence(
            actor=self.owner, application=self.app, criterion=self.criterion, upload=upload
        )

    def page(self, client, upload):
        return client.post(
            f"/certification/labels/applications/{self.app.pk}/",
            {"action": "add_evidence", "criterion": self.criterion.pk, "file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def api(self, client, upload):
        return client.post(
            f"/api/v1/certification/label-applications/{self.app.pk}/evidence/",
            {"criterion": self.criterion.pk, "file": upload},
            format="multipart",
        )


class FacePhoto(Field):
    name = "face_photo"
    images_only = True

    def setup(self):
        self.data = {"holder_name": "张三", "bank_name": "工商银行", "card_number": CARD}

    def service(self, upload):
        cert_services.bank_card_submit(
            actor=self.owner, partner=self.partner, face_photo=upload, **self.data
        )

    def page(self, client, upload):
        return client.post(
            "/certification/bank-cards/new/",
            {**self.data, "face_photo": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def api(self, client, upload):
        return client.post(
            "/api/v1/certification/bank-cards/",
            {**self.data, "face_photo": upload},
            format="multipart",
        )


FIELDS = [ConsentFile, SlotFile, EvidenceFile, FacePhoto]


@pytest.fixture
def label(db):
    from certification.models import CapabilityLabel, LabelCriterion

    label = CapabilityLabel.objects.create(code="files", name_zh="文件", name_en="Files")
    LabelCriterion.objects.create(label=label, position=1, title_zh="项目", title_en="Projects")
    return label


@pytest.fixture
def field_of(owner, partner, label):
    def make(kind):
        field = kind(owner, partner, label)
        field.setup()
        return field

    return make


def _api_client(user):
    client = api_client(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.mark.parametrize("kind", FIELDS, ids=lambda k: k.__name__)
@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_DOCUMENTS, ids=BAD_IDS)
def test_service_door_refuses(field_of, kind, case, name, content, words):
    field = field_of(kind)
    with pytest.raises(DomainError) as refused:
        field.service(SimpleUploadedFile(name, content))
    assert refused.value.field == field.name
    assert expected_words(case, name, words, field.images_only) in str(refused.value.message)
    assert_nothing_stored()


@pytest.mark.parametrize("kind", FIELDS, ids=lambda k: k.__name__)
@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_DOCUMENTS, ids=BAD_IDS)
def test_page_door_refuses_next_to_the_field(
    login, owner, field_of, kind, case, name, content, words
):
    field = field_of(kind)
    client = login(owner)
    response = field.page(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    html = response.content.decode()
    assert expected_words(case, name, words, field.images_only) in html
    assert_nothing_stored()


@pytest.mark.parametrize("kind", FIELDS, ids=lambda k: k.__name__)
@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_DOCUMENTS, ids=BAD_IDS)
def test_api_door_answers_400_with_the_field(owner, field_of, kind, case, name, content, words):
    field = field_of(kind)
    response = field.api(_api_client(owner), SimpleUploadedFile(name, content))
    assert response.status_code == 400, response.content
    errors = response.json()["fields"][field.name]
    assert expected_words(case, name, words, field.images_only) in errors[0]
    assert_nothing_stored()


@pytest.mark.parametrize("kind", FIELDS, ids=lambda k: k.__name__)
@pytest.mark.parametrize("door", ["service", "page", "api"])
def test_good_files_are_still_accepted(login, owner, field_of, kind, door):
    field = field_of(kind)
    upload = SimpleUploadedFile("scan.png", image_bytes("PNG"))
    if door == "service":
        field.service(upload)
    elif door == "page":
        assert field.page(login(owner), upload).status_code == 302
    else:
        assert field.api(_api_client(owner), upload).status_code in (200, 201, 202)
    names = [p.name for p in stored_files()]
    assert len(names) == 1 and names[0] != "scan.png" and names[0].endswith(".png")


def test_admin_form_runs_the_same_check(admin_user):
    """The admin form of a model with a file calls the service's check (next to the field)."""
    from opportunities.admin import OpportunityAdmin

    form_class = modelform_factory(Opportunity, form=OpportunityAdmin.form, fields=["consent_file"])
    for case, name, content, words in BAD_DOCUMENTS:
        form = form_class(files={"consent_file": SimpleUploadedFile(name, content)})
        assert not form.is_valid(), case
        assert words in " ".join(form.errors["consent_file"]), case
    good = form_class(files={"consent_file": SimpleUploadedFile("ok.pdf", pdf_bytes())})
    assert good.is_valid(), good.errors


def test_admin_change_page_stores_no_file(login, admin_user, owner):
    """Through the real admin: the file fields are read-only, a posted file is ignored."""
    po = make_po(owner)
    client = login(admin_user)
    url = reverse("admin:opportunities_opportunity_change", args=[po.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"consent_file": SimpleUploadedFile("x.php.png", image_bytes("PNG"))})
    assert_nothing_stored()


# ---- The import file -------------------------------------------------------------------


def _import_service(owner, upload):
    return opp_services.po_import_start(actor=owner, partner=owner.partner, upload=upload)


@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_SPREADSHEETS, ids=SHEET_IDS)
@pytest.mark.parametrize("door", ["service", "page", "api"])
def test_import_file_refused_through_every_door(login, owner, door, case, name, content, words):
    upload = SimpleUploadedFile(name, content)
    if door == "service":
        with pytest.raises(DomainError) as refused:
            _import_service(owner, upload)
        assert refused.value.field == "file" and words in str(refused.value.message)
    elif door == "page":
        response = login(owner).post(
            reverse("opportunities:import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-field-error="file"' in html and words in html
    else:
        response = _api_client(owner).post(
            "/api/v1/opportunities/imports/", {"file": upload}, format="multipart"
        )
        assert response.status_code == 400 and words in response.json()["fields"]["file"][0]
    assert_nothing_stored()


def test_import_admin_form_runs_the_same_check():
    from opportunities.admin import POImportAdmin

    form_class = modelform_factory(POImport, form=POImportAdmin.form, fields=["file"])
    form = form_class(files={"file": SimpleUploadedFile("pos.csv.exe", b"MZ")})
    assert not form.is_valid() and "more than one extension" in form.errors["file"][0]


# ---- Downloads -------------------------------------------------------------------------


def _assert_safe_download(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_consent_file_download_has_the_safe_headers(login, owner):
    po = make_po(owner)
    opp_services.po_submit(
        actor=owner,
        po=po,
        consent=opp_services.Consent(
            confirmed=True,
            method="email",
            file=SimpleUploadedFile('同意书"\r\nX-Evil: 1.pdf', pdf_bytes()),
        ),
    )
    response = login(owner).get(reverse("opportunities:consent_file", args=[po.pk]))
    _assert_safe_download(response, "application/pdf")
    disposition = response["Content-Disposition"]
    assert (
        "\r" not in disposition
        and "\n" not in disposition
        and "X-Evil:" not in str(response.serialize_headers()).replace(disposition, "")
    )
    assert "filename*=UTF-8''" in disposition


def test_certification_download_has_the_safe_headers(login, owner, partner):
    cert = cert_services.enterprise_start(actor=owner, partner=partner)
    slot = cert_services.enterprise_upload(
        actor=owner,
        certification=cert,
        position=1,
        upload=SimpleUploadedFile("licence.pdf", pdf_bytes()),
    )
    url = reverse("certification:file-download", args=[slot.attachment_id])
    _assert_safe_download(login(owner).get(url), "application/pdf")
    api = _api_client(owner).get(f"/api/v1/certification/files/{slot.attachment_id}/download/")
    _assert_safe_download(api, "application/pdf")


def test_failed_rows_download_has_the_safe_headers(login, owner):
    from opportunities import imports

    content = '客户名称,项目名称,产品\n=HYPERLINK("http://x"),,ecs\n'.encode()
    imp = _import_service(owner, SimpleUploadedFile("pos.csv", content))
    imports.run_import(imp.pk)
    imp.refresh_from_db()
    assert imp.failed_file
    response = login(owner).get(reverse("opportunities:import_failed", args=[imp.pk]))
    _assert_safe_download(response, "text/csv")
    assert 'filename="pos-failed.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
