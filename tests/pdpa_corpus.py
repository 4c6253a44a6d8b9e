"""A generated corpus for the personal-data detectors: labelled cells, positives and look-alikes.

SYNTHETIC: every ID, number, address and name is random. Citizen IDs get their check digit
from python-stdnum (`stdnum.th.pin`, the reference), so the vectorised check in
`personal_data.detect` is tested against it. `cells(n, seed)` returns (text, kind or None).
Used by tests/unit/test_personal_data.py and benchmarks/bench_pdpa.py.
"""

from __future__ import annotations

import random

from stdnum.th import pin

GIVEN = ["สมชาย", "สมศักดิ์", "บุญมี", "ประเสริฐ", "วิชัย", "มาลี", "สมพร", "บัวผัน", "ทองใบ", "อำนวย"]
FAMILY = ["ใจดี", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองคำ", "พรหมมา", "สุขเจริญ", "วงศ์ใหญ่"]
PREFIXES = ["นาย", "นาง", "นางสาว", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "น.ส."]
DOMAINS = ["gmail.com", "hotmail.com", "cdd.go.th", "example.co.th", "yahoo.co.th"]


def citizen_id(rng: random.Random) -> str:
    body = str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(11))
    return body + pin.calc_check_digit(body)


def dashed(number: str) -> str:
    return pin.format(number)


def bad_check(number: str) -> str:
    wrong = (int(number[-1]) + 1 + (int(number[0]) % 9)) % 10
    return number[:-1] + str(wrong)


def mobile(rng: random.Random) -> str:
    return "0" + rng.choice("689") + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random) -> str:
    return "0" + rng.choice("234567") + "".join(rng.choice("0123456789") for _ in range(7))


def phone_notation(rng: random.Random, number: str) -> str:
    """One of the ways people write a Thai number."""
    rest = number[1:]
    style = rng.randrange(7 if len(number) == 10 else 6)
    if len(number) == 10:  # mobile
        a, b, c = number[:3], number[3:6], number[6:]
        return [number, f"{a}-{b}-{c}", f"{a} {b} {c}", f"+66 {rest[:2]} {rest[2:5]} {rest[5:]}",
                f"+66{rest}", f"โทร. {a}-{b}-{c}", f"{a}.{b}.{c}"][style]  # dots: a known miss
    a, b, c = number[:2], number[2:5], number[5:]
    return [number, f"{a}-{b}-{c}", f"({a}) {b} {c}", f"+66 {rest[:1]} {rest[1:4]} {rest[4:]}",
            f"{number[:3]}-{number[3:]}", f"{a} {b} {c} ต่อ {rng.randint(100, 999)}"][style]


def email(rng: random.Random) -> str:
    user = rng.choice(["somchai", "malee", "boonmee", "wichai", "porn"]) + rng.choice([".", "_", ""]) \
        + str(rng.randint(1, 999))
    return f"{user}@{rng.choice(DOMAINS)}"


def passport(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice([1, 2])))
    return letters + "".join(rng.choice("0123456789") for _ in range(7))


def person(rng: random.Random) -> str:
    return f"{rng.choice(PREFIXES)}{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def look_alike(rng: random.Random) -> str:
    """Cells that are not personal data but resemble it."""
    choice = rng.randrange(12)
    if choice == 0:  # a 13-digit product code whose check digit fails
        return bad_check(citizen_id(rng))
    if choice == 1:  # an impossible first digit with a right check digit
        body = rng.choice("09") + "".join(rng.choice("0123456789") for _ in range(11))
        return body + pin.calc_check_digit(body)
    if choice == 2:  # a valid ID inside a longer number
        return rng.choice("123456789") + citizen_id(rng) + rng.choice("0123456789")
    if choice == 3:  # an 8-digit village code, a 6-digit sub-district code
        village, subdistrict = rng.randint(10_000_000, 96_999_999), rng.randint(100_000, 969_999)
        return str(village if rng.random() < 0.5 else subdistrict)
    if choice == 4:  # an amount, a rate
        return f"{rng.uniform(0, 9_999_999):.2f}" if rng.random() < 0.5 else f"0.{rng.randint(10**7, 10**8)}"
    if choice == 5:
        return f"{rng.randint(2023, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if choice == 6:  # offices that start like a name
        return rng.choice(["นายกเทศมนตรีตำบลบ้านใหม่", "นายอำเภอเมืองเชียงใหม่", "นายทะเบียนท้องถิ่น",
                           "นางรอง บุรีรัมย์", "นายช่างโยธา ชำนาญงาน"])
    if choice == 7:  # an ordinary Thai text
        return rng.choice(["บ้านหนองบัว หมู่ 3", "กลุ่มทอผ้าบ้านนาข่า", "ผลิตภัณฑ์ชุมชน หนึ่งตำบล"])
    if choice == 8:  # a code of letters and digits that is not a passport's shape
        return f"TH-{rng.randint(10, 96)}" if rng.random() < 0.5 else f"OTOP{rng.randint(10**8, 10**9 - 1)}"
    if choice == 9:  # a fiscal year and a count
        return str(rng.randint(2560, 2567)) if rng.random() < 0.5 else str(rng.randint(1, 99_999))
    if choice == 10:  # a web address, or a stock code of a passport's shape (a known false positive)
        return f"https://www.cdd.go.th/{rng.randint(1, 999)}" if rng.random() < 0.9 else passport(rng)
    publisher, title = rng.randint(100, 999), rng.randint(1000, 9999)
    return f"ISBN 978-{publisher}-{rng.randint(10, 99)}-{title}-{rng.randrange(10)}"


def citizen_id_notation(rng: random.Random) -> str:
    number = citizen_id(rng)
    return rng.choice([number, dashed(number), dashed(number).replace("-", " "),
                       f"เลขบัตร {dashed(number)}"])


POSITIVES = {
    "citizen-id": citizen_id_notation,
    "phone": lambda rng: phone_notation(rng, mobile(rng) if rng.random() < 0.6 else landline(rng)),
    "email": email,
    "passport": passport,
    "person-name": person,
}


def cells(n: int = 5000, seed: int = 14) -> list[tuple[str, str | None]]:
    """`n` labelled cells: half positives (spread over the kinds), half look-alikes."""
    rng = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    kinds = list(POSITIVES)
    for i in range(n):
        if i % 2:
            out.append((look_alike(rng), None))
        else:
            kind = kinds[(i // 2) % len(kinds)]
            out.append((POSITIVES[kind](rng), kind))
    return out


def score(kind: str, corpus: list[tuple[str, str | None]]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of the detector of `kind`."""
    import polars as pl

    from opencatalog.validate.personal_data.detect import matches

    hit = matches(kind, pl.Series([text for text, _ in corpus])).to_list()
    truth = [k == kind for _, k in corpus]
    return (sum(h and t for h, t in zip(hit, truth, strict=True)),
            sum(h and not t for h, t in zip(hit, truth, strict=True)),
            sum(t and not h for h, t in zip(hit, truth, strict=True)))


# -- a resource of community-fund members (SYNTHETIC), for catalog-level tests --------------------

MEMBERS_SCHEMA = """\
fields:
  - {name: member_no, type: integer, title: ลำดับสมาชิก}
  - {name: citizen_id, type: string, title: เลขประจำตัวประชาชน}
  - {name: office_phone, type: string, title: เบอร์โทรสำนักงาน}
  - {name: amount, type: integer, title: เงินออม (บาท)}
"""
MEMBERS_RESOURCE = """\
  - name: members
    title: {th: สมาชิกกองทุน (สังเคราะห์), en: Fund members (SYNTHETIC)}
    path: members.csv
    schema: members.schema.yaml
"""


def members_csv(rows: int = 40, seed: int = 7) -> tuple[str, list[str], list[str]]:
    """(CSV text, the citizen IDs in it, the phone numbers in it)."""
    rng = random.Random(seed)
    ids = [citizen_id(rng) for _ in range(rows)]
    phones = [f"0{rng.choice('2345')}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}" for _ in range(rows)]
    lines = ["member_no,citizen_id,office_phone,amount"]
    lines += [f"{i + 1},{ids[i]},{phones[i]},{rng.randint(100, 90000)}" for i in range(rows)]
    return "\n".join(lines) + "\n", ids, phones
