import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = "Write the periodic schedules declared in settings.CELERY_BEAT_SCHEDULE into django-celery-beat."

    def handle(self, *args, **options):
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            schedule = entry["schedule"]
            defaults = {"task": entry["task"], "args": json.dumps(entry.get("args", []))}
            if hasattr(schedule, "minute"):  # crontab
                crontab, _ = CrontabSchedule.objects.get_or_create(
                    minute=_field(schedule._orig_minute),
                    hour=_field(schedule._orig_hour),
                    day_of_week=_field(schedule._orig_day_of_week),
                    day_of_month=_field(schedule._orig_day_of_month),
                    month_of_year=_field(schedule._orig_month_of_year),
                    timezone=settings.TIME_ZONE,
                )
                defaults.update(crontab=crontab, interval=None)
            else:
                seconds = int(getattr(schedule, "run_every", schedule).total_seconds())
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=seconds, period=IntervalSchedule.SECONDS
                )
                defaults.update(interval=interval, crontab=None)
            task, created = PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
            self.stdout.write(f"{'created' if created else 'updated'}: {name} -> {task.task}")


def _field(value) -> str:
    return str(value)
