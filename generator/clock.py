"""What "today" is: from SOURCE_DATE_EPOCH when set, so builds can be reproduced exactly."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo


def today(timezone: str) -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    zone = zoneinfo.ZoneInfo(timezone)
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=zone).date()
    return dt.datetime.now(tz=zone).date()
