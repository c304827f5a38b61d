"""The project's Celery task class: a task sent by the outbox (id `outbox-<pk>`) is skipped
when its entry is already done, and marks the entry done when it returns, so an entry
delivered twice runs once."""

from __future__ import annotations

import logging

from celery import Task

log = logging.getLogger(__name__)


class OutboxAwareTask(Task):
    def __call__(self, *args, **kwargs):
        task_id = getattr(self.request, "id", None)
        if task_id and task_id.startswith("outbox-"):
            from .services import is_done, mark_done

            if is_done(task_id):
                log.info("task %s (%s) already done: skipped", task_id, self.name)
                return None
            result = super().__call__(*args, **kwargs)
            mark_done(task_id)
            return result
        return super().__call__(*args, **kwargs)
