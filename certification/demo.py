"""Demo data for certification: every state of enterprise, bank-card and label
certification, made through the services with small generated files."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from partner_center.accounts.permissions import Role
from partner_center.accounts.services import user_create
from partner_center.demo import DEMO_PASSWORD

from . import services
from .models import (
    CapabilityLabel,
    Defense,
    LabelCriterion,
)

LABELS = [
    (
        "cloud-migration",
        "云迁移交付能力",
        "Cloud migration delivery",
        "评估、规划并实施客户业务向云上迁移。",
        "Assess, plan and carry out the move of customers' workloads to the cloud.",
        [
            ("已完成的迁移项目", "Completed migration projects", "两个以上已验收项目的验收报告。", "Acceptance reports of two or more projects."),
            ("持证交付人员", "Certified delivery staff", "至少三名持证工程师的证书。", "Certificates of at least three engineers."),
            ("迁移方法与工具", "Migration method and tools", "方法论文档或工具说明。", "A method document or a description of the tools."),
        ],
    ),
    (
        "database",
        "数据库服务能力",
        "Database services",
        "为客户提供数据库选型、迁移与运维服务。",
        "Database selection, migration and operation for customers.",
        [
            ("数据库项目案例", "Database project cases", "项目合同或验收材料。", "Contracts or acceptance documents."),
            ("7×24 运维保障", "Round-the-clock operations", "值班制度与服务记录。", "The on-call rota and service records."),
        ],
    ),
    (
        "container",
        "容器化应用交付能力",
        "Containerised application delivery",
        "帮助客户把应用改造为容器并上线运行。",
        "Help customers move applications into containers and run them.",
        [
            ("容器化改造案例", "Containerisation cases", "架构图与上线证明。", "Architecture diagrams and proof of go-live."),
            ("持续交付流水线", "Continuous delivery pipeline", "流水线截图或说明。", "Screenshots or a description of the pipeline."),
        ],
    ),
]  # fmt: skip


def _png(text: str, name: str, color=(230, 240, 255)) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(40, 60, 120), width=4)
    draw.text((48, 180), text, fill=(20, 30, 60), font=ImageFont.load_default(size=28))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF with a framed title, so the reviewer's preview shows a page, not a
    blank sheet."""
    page = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((36, 36, 559, 806), outline=(40, 60, 120), width=4)
    draw.text((64, 96), "DOCUMENT - DEMO", fill=(20, 30, 60), font=ImageFont.load_default(size=36))
    for row in range(8):
        draw.rectangle(
            (64, 200 + row * 60, 531 - (row % 3) * 80, 216 + row * 60), fill=(214, 220, 232)
        )
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _fill_all(cert, actor) -> None:
    for slot in cert.slots.order_by("position"):
        if slot.kind == "business_licence":
            upload = _pdf("营业执照.pdf")
        elif slot.kind == "other_certificate":
            upload = _pdf(f"{slot.title}.pdf")
        else:
            side = "portrait" if slot.kind == "id_portrait" else "emblem"
            upload = _png(f"ID CARD ({side}) - DEMO", f"id-{side}-{slot.position}.png")
        services.enterprise_upload(
            actor=actor, certification=cert, position=slot.position, upload=upload
        )


def _labels() -> dict[str, CapabilityLabel]:
    made = {}
    for position, (code, zh, en, dzh, den, criteria) in enumerate(LABELS, start=1):
        label = CapabilityLabel.objects.create(
            code=code,
            name_zh=zh,
            name_en=en,
            description_zh=dzh,
            description_en=den,
            position=position,
        )
        LabelCriterion.objects.bulk_create(
            LabelCriterion(
                label=label,
                position=i,
                title_zh=tzh,
                title_en=ten,
                evidence_hint_zh=hzh,
                evidence_hint_en=hen,
            )
            for i, (tzh, ten, hzh, hen) in enumerate(criteria, start=1)
        )
        made[code] = label
    return made


def _application(actor, partner, label, *, submit=True):
    app = services.label_apply(
        actor=actor,
        partner=partner,
        label=label,
        statement="我们已为多家企业客户完成相关项目交付，团队具备完整的认证与交付经验。",
    )
    for criterion in label.criteria.order_by("position"):
        services.label_add_evidence(
            actor=actor,
            application=app,
            criterion=criterion,
            upload=_pdf(f"evidence-{criterion.position}.pdf"),
            note=criterion.title_zh,
        )
    if submit:
        services.label_submit(actor=actor, application=app)
    return app


def _review(reviewer, app, not_met: set[int] = frozenset(), conclude=True):
    for criterion in app.label.criteria.order_by("position"):
        failed = criterion.position in not_met
        services.label_decide_criterion(
            actor=reviewer,
            application=app,
            criterion=criterion,
            verdict="not_met" if failed else "met",
            comment="提供的材料未能证明该项能力，缺少验收证明。" if failed else "材料完整。",
        )
    if conclude:
        services.label_conclude(actor=reviewer, application=app, summary="评审完成。")
    return app


def _story_until_defense(partner_user, partner, label, cert_user, expert):
    """An application refused on two criteria, whose partner asked for a defense that was
    then scheduled an hour later."""
    app = _application(partner_user, partner, label)
    _review(cert_user, app, not_met={1, 2})
    services.label_request_defense(
        actor=partner_user,
        application=app,
        channel=Defense.Channel.SPECIALIST,
        criteria=list(app.label.criteria.all()),
        statement="希望说明我们的容器化案例。",
    )
    services.defense_schedule(
        actor=cert_user,
        application=app,
        scheduled_at=timezone.now() + timedelta(hours=1),
        meeting_link="https://meeting.example.com/j/2026-cert-0002",
        experts=[expert],
        external_experts="周教授（某大学云计算实验室）",
    )
    return app


def load(ctx) -> None:
    p, u = ctx.partners, ctx.users
    cert_user, bd = u["cert"], u["bd"]
    expert = user_create(
        email="expert@demo.local",
        password=DEMO_PASSWORD,
        role=Role.CERT_SPECIALIST,
        full_name="孙评审 (专家)",
    )
    ctx.users["cert_expert"] = expert
    ctx.logins.append(("expert@demo.local", "certification specialist, review expert of defenses"))
    # bd@demo.local is the PDM of 华云数智 and 鼎盛云联.
    services.pdm_assign(actor=u["admin"], partner=p["huayun"], user=bd)
    services.pdm_assign(actor=u["admin"], partner=p["dingsheng"], user=bd)

    # Enterprise certification: approved, submitted, rejected, draft half filled.
    huayun = u["huayun_admin"]
    cert = services.enterprise_start(actor=huayun, partner=p["huayun"], legal_person="张三")
    _fill_all(cert, huayun)
    services.enterprise_submit(actor=huayun, certification=cert)
    services.enterprise_approve(actor=cert_user, certification=cert, comment="材料齐全，认证通过。")

    ding = u["dingsheng_admin"]
    cert = services.enterprise_start(
        actor=ding,
        partner=p["dingsheng"],
        legal_person="李四",
        staff=["王五"],
        other_certificates=["增值电信业务经营许可证"],
    )
    _fill_all(cert, ding)
    services.enterprise_submit(actor=ding, certification=cert)

    qihang = u["qihang_admin"]
    cert = services.enterprise_start(actor=qihang, partner=p["qihang"], legal_person="赵六")
    _fill_all(cert, qihang)
    services.enterprise_submit(actor=qihang, certification=cert)
    services.enterprise_reject(
        actor=cert_user,
        certification=cert,
        reasons=["unreadable", "person_mismatch"],
        comment="身份证国徽面模糊，请重新拍摄上传。",
    )

    xinghe = u["xinghe_admin"]
    cert = services.enterprise_start(
        actor=xinghe, partner=p["xinghe"], legal_person="钱七", staff=["孙八"]
    )
    services.enterprise_upload(
        actor=xinghe, certification=cert, position=1, upload=_pdf("营业执照.pdf")
    )
    services.enterprise_upload(
        actor=xinghe,
        certification=cert,
        position=2,
        upload=_png("ID CARD (portrait) - DEMO", "id-portrait.png"),
    )

    # Bank-card certification: approved, under review, rejected.
    for actor, partner, holder, state in [
        (huayun, p["huayun"], "张三", "approved"),
        (ding, p["dingsheng"], "李四", "submitted"),
        (qihang, p["qihang"], "赵六", "rejected"),
    ]:
        card = services.bank_card_submit(
            actor=actor,
            partner=partner,
            holder_name=holder,
            bank_name="中国工商银行",
            card_number="6222 0212 3456 7890 128",
            face_photo=_png("FACE SCAN - DEMO", "face.png", (250, 235, 225)),
        )
        if state == "approved":
            services.bank_card_approve(actor=cert_user, certification=card)
        elif state == "rejected":
            services.bank_card_reject(
                actor=cert_user, certification=card, reasons=["photo_unclear"], comment="照片过暗。"
            )

    # Capability labels, one application in each state.
    labels = _labels()
    app = _application(huayun, p["huayun"], labels["cloud-migration"])
    _review(cert_user, app)  # granted
    app = _application(huayun, p["huayun"], labels["database"])
    _review(cert_user, app, not_met={2})  # not passed: the defense window is open
    _application(huayun, p["huayun"], labels["container"], submit=False)  # draft

    app = _application(ding, p["dingsheng"], labels["cloud-migration"])
    _review(cert_user, app, not_met={1})
    services.label_request_defense(
        actor=ding,
        application=app,
        channel=Defense.Channel.PDM,
        criteria=[app.label.criteria.get(position=1)],
        statement="我们有三个已验收的迁移项目，评审时漏看了第二份验收报告，希望线上澄清。",
    )  # defense requested through the PDM
    app = _application(ding, p["dingsheng"], labels["database"])
    _review(cert_user, app, not_met={1})
    services.label_request_defense(
        actor=ding,
        application=app,
        channel=Defense.Channel.SPECIALIST,
        criteria=[app.label.criteria.get(position=1)],
        statement="数据库案例的合同页已补充，请安排答辩。",
    )
    services.defense_schedule(
        actor=cert_user,
        application=app,
        scheduled_at=timezone.now() + timedelta(days=3),
        meeting_link="https://meeting.example.com/j/2026-cert-0001",
        experts=[cert_user, expert],
    )  # defense scheduled

    app = _application(qihang, p["qihang"], labels["container"])  # under review
    _review(cert_user, app, conclude=False)
    xinrui = u["xinrui_admin"]
    # The demo cannot wait for the defense: this application's story is told two days ago
    # (events are never rewritten afterwards), so the defense took place yesterday; then
    # its outcome is recorded today.
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=True):
        app = _story_until_defense(xinrui, p["xinrui"], labels["container"], cert_user, expert)
    services.defense_record_outcome(
        actor=cert_user,
        application=app,
        verdicts={c.pk: ("not_met", "答辩中未能提供上线证明。") for c in app.label.criteria.all()},
        notes="答辩后评审专家一致认为材料仍不足，标签不予授予。",
    )  # refused after the defense
    app = _application(xinrui, p["xinrui"], labels["database"])
    services.label_withdraw(actor=xinrui, application=app, reason="材料准备不足，稍后再申请。")
