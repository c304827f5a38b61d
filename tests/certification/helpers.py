"""Helpers for certification tests: real images and PDFs made in memory, and records in
a given state made through the services."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from certification import services
from certification.models import Attachment


def image_bytes(fmt: str = "PNG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def nothing_stored() -> bool:
    return not stored_files() and not Attachment.objects.exists()


def filled_enterprise(owner, partner, **setup):
    cert = services.enterprise_start(actor=owner, partner=partner, **setup)
    for slot in cert.slots.order_by("position"):
        services.enterprise_upload(
            actor=owner,
            certification=cert,
            position=slot.position,
            upload=png(f"s{slot.position}.png"),
        )
    return cert


def submitted_application(owner, partner, label):
    app = services.label_apply(
        actor=owner, partner=partner, label=label, statement="我们做过很多项目"
    )
    for criterion in label.criteria.order_by("position"):
        services.label_add_evidence(
            actor=owner, application=app, criterion=criterion, upload=pdf(f"e{criterion.pk}.pdf")
        )
    return services.label_submit(actor=owner, application=app)


def failed_application(owner, partner, label, specialist, not_met=(1,)):
    app = submitted_application(owner, partner, label)
    for criterion in label.criteria.order_by("position"):
        bad = criterion.position in not_met
        services.label_decide_criterion(
            actor=specialist,
            application=app,
            criterion=criterion,
            verdict="not_met" if bad else "met",
            comment="缺少验收报告" if bad else "",
        )
    return services.label_conclude(actor=specialist, application=app, summary="未通过")


def defended_application(owner, partner, label, specialist, *, channel="specialist", statement="x"):
    """A failed application whose partner asked for a defense of its first criterion."""
    app = failed_application(owner, partner, label, specialist)
    services.label_request_defense(
        actor=owner,
        application=app,
        channel=channel,
        criteria=[label.criteria.get(position=1)],
        statement=statement,
    )
    return app


def upload_on_the_page(client, owner, partner, upload):
    """The page's answer (in English) when `upload` is posted into the first slot of a new
    enterprise certification of `partner`, started by `owner`."""
    cert = services.enterprise_start(actor=owner, partner=partner)
    return client.post(
        f"/certification/enterprise/{cert.pk}/",
        {"action": "upload", "position": 1, "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
