"""The personal-data (PDPA) publication gate, a part of `validate`.

* `rules` — what is detected (Thai citizen IDs with their check digit, phone numbers, e-mail
  addresses, passport numbers, names with an honorific prefix), the column names that give a
  column away, the thresholds and every message;
* `detect` — the vectorised detectors (polars expressions) and the per-column tallies, fed
  batch by batch by the fast path (`tabular.fast.parse`) or by `files` for other files;
* `mask` — no output shows a whole ID, phone number, e-mail or name;
* `gate` — the findings: public datasets must be ข้อมูลสาธารณะ / เปิดเผย and hold no personal
  data outside the exceptions declared under `pdpa:`; private ones get notes.
"""

from __future__ import annotations

from .detect import ScanSet
from .gate import check_publication, check_scans
from .mask import mask_text

__all__ = ["ScanSet", "check_publication", "check_scans", "mask_text"]
