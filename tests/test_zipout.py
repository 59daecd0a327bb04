"""Zips with reused deflated members are byte for byte the zips zipfile writes."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.render import zipout


def plain_zip(named: dict[str, bytes], first: tuple[str, ...]) -> bytes:
    """The archive as ZipFile.writestr makes it, member by member, in the same order."""
    order = list(first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(named, key=lambda n: (order.index(n) if n in order else len(order), n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, named[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


names = st.text(alphabet="abc/._-원본XY09", min_size=1, max_size=12).filter(lambda n: not n.endswith("/"))
payloads = st.one_of(
    st.binary(max_size=64),
    st.binary(min_size=1, max_size=64).map(lambda b: b * (zipout.REUSE_BYTES // len(b) + 3)),
    st.sampled_from([b"<w:styles/>" * 2000, bytes(range(256)) * 40]),
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(names, payloads, max_size=6), st.booleans())
def test_same_bytes_as_zipfile(named: dict[str, bytes], twice: bool) -> None:
    first = tuple(sorted(named)[:1])
    if twice:
        zipout.zip_members(named, first)  # the big members' deflated bytes are now reused
    data = zipout.zip_members(named, first)
    assert data == plain_zip(named, first)
    with zipfile.ZipFile(io.BytesIO(data)) as back:
        assert back.testzip() is None
        assert {i.filename: back.read(i) for i in back.infolist()} == named


def test_the_shortcut_is_checked_and_taken() -> None:
    assert zipout._reuse_works()
