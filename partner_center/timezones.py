"""The one time zone the portal shows and cuts days and billing periods in: China Standard
Time. Times are stored in UTC (settings.USE_TZ); this is for conversions and boundaries."""

from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
