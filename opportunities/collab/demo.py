"""Demo collaboration on two of 华云数智's deals: a thread between the partner and BD, next
steps (one overdue, one done), a proposal and a customer letter. Through the services, with
the clock set back where the story happened earlier."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from . import services


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (240, 240, 235)).save(buffer, "PNG")
    return buffer.getvalue()


def load(ctx, *, at, days_ago, reviewing, won) -> None:
    """`at(moment)` runs the services at that moment; `days_ago(n, hour)` is the n-th
    working day back."""
    bd = ctx.users["bd"]
    huayun, member = ctx.users["huayun_admin"], ctx.users["huayun_member"]
    with at(days_ago(4, 11)):
        services.comment_post(
            actor=bd,
            opportunity=reviewing,
            body="@owner 验证需要客户现有系统的架构说明，请在本周内补充上传。",
        )
        services.next_step_add(
            actor=bd,
            opportunity=reviewing,
            text="补充客户现有系统架构说明",
            due_on=timezone.localdate() + timedelta(days=2),
            assignee_id=huayun.pk,
        )
    with at(days_ago(3, 15)):
        services.comment_post(
            actor=member,
            opportunity=reviewing,
            body="收到，架构说明已在整理。客户希望 6 月底前完成一期迁移。",
        )
        services.attachment_upload(
            actor=member,
            opportunity=reviewing,
            kind="proposal",
            upload=SimpleUploadedFile("锦程物流-迁移方案-v2.pdf", _pdf()),
        )
        step = services.next_step_add(
            actor=member,
            opportunity=reviewing,
            text="与客户 IT 负责人确认迁移窗口",
            due_on=timezone.localdate() + timedelta(days=1),
            assignee_id=member.pk,
        )
    with at(days_ago(2, 10)):
        services.next_step_complete(actor=member, step=step)
        services.next_step_add(
            actor=huayun,
            opportunity=reviewing,
            text="提交客户盖章的项目确认函",
            due_on=timezone.localdate(),
            assignee_id=huayun.pk,
        )
        services.attachment_upload(
            actor=huayun,
            opportunity=reviewing,
            kind="customer_letter",
            upload=SimpleUploadedFile("客户确认函.png", _png()),
        )
    with at(days_ago(1, 9)):
        services.comment_post(
            actor=bd,
            opportunity=reviewing,
            body="方案已收到，客户经理下周二与客户电话确认需求。",
        )
    services.comment_post(
        actor=huayun, opportunity=won, body="项目已中标，感谢 BD 在验证阶段的支持。"
    )
