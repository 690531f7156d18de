"""The deck's URL format (lumap.deck): round trips, the length budget, and every kind of
damaged link giving a notice and the slides that parsed, never an exception."""

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumap import deck
from lumap.deck import Slide, decode, encode, make_slide

SLIDES = [
    make_slide("map", "indicator=gross-median-weekly-pay&year=2024&level=ltla&area=E08000012", "Pay, 2024"),
    make_slide(
        "missions",
        "view=change&mission=1&indicator=gross-median-weekly-pay&level=ltla&from=2019&to=2024&kind=absolute",
        "Change in pay since 2019",
        "Purple = better",
    ),
    make_slide(
        "compare",
        "indicator=healthy-life-expectancy-female&year=2019&level=utla&areas=E06000001,E06000002&comp=uk,region",
        "Healthy life expectancy",
        "Hartlepool against Middlesbrough",
        "bars",
    ),
]


def test_round_trip_keeps_every_field_and_the_order():
    text = encode(SLIDES)
    assert text.startswith("1_3.")
    got = decode(text)
    assert got.notices == ()
    assert got.slides == tuple(SLIDES)


def test_link_is_url_safe_and_compact():
    text = encode(SLIDES)
    assert set(text) <= set(string.ascii_letters + string.digits + "-_.")
    # the budget the module states: a typical slide is 50-150 characters
    for s in SLIDES:
        assert len(deck.encode_slide(s)) <= 160, len(deck.encode_slide(s))


def test_unknown_query_parameters_travel_untouched():
    s = make_slide("map", "indicator=x&polarity=neutral&period=2019-01-01%2FP1Y&zz=%C3%A9t%C3%A9")
    back = decode(encode([s])).slides[0]
    assert back.params() == {"indicator": "x", "polarity": "neutral", "period": "2019-01-01/P1Y", "zz": "été"}


def test_a_slides_own_link_is_the_header_and_its_token():
    link = deck.slide_link(SLIDES[1])
    assert link == "1_1." + encode(SLIDES).split(".")[2]
    assert decode(link).slides == (SLIDES[1],)


def test_empty_and_missing():
    assert decode(None).slides == () and decode("").notices == ()
    assert decode(encode([])) == deck.Decoded()


@pytest.mark.parametrize("cut", range(1, 200, 7))
def test_truncated_link_gives_the_whole_slides_before_the_cut_and_a_notice(cut):
    text = encode(SLIDES)
    part = text[: len(text) - cut]
    got = decode(part)
    tokens_whole = text.split(".")[1:]
    kept = [t for t in part.split(".")[1:] if t in tokens_whole]
    assert list(got.slides) == SLIDES[: len(kept)] or len(got.slides) <= len(kept)
    assert all(s in SLIDES for s in got.slides)
    if len(got.slides) < 3:
        assert got.notices, part


def test_every_truncation_never_raises():
    text = encode(SLIDES)
    for i in range(len(text) + 1):
        got = decode(text[:i])
        assert len(got.slides) <= 3


def test_cut_at_a_slide_boundary_is_noticed_through_the_count():
    text = encode(SLIDES)
    cut = text.rsplit(".", 1)[0]
    got = decode(cut)
    assert got.slides == tuple(SLIDES[:2])
    assert any("cut short" in n and "1 is missing" in n for n in got.notices)


def test_a_damaged_slide_is_left_out_with_a_notice_naming_it():
    tokens = encode(SLIDES).split(".")
    t = tokens[2]
    tokens[2] = t[:10] + ("A" if t[10] != "A" else "B") + t[11:]
    got = decode(".".join(tokens))
    assert got.slides == (SLIDES[0], SLIDES[2])
    assert any(n.startswith("Slide 2 of this deck") for n in got.notices)


@pytest.mark.parametrize(
    "text",
    [
        "2_1.abc",
        "garbage",
        "1_3.!!!.???",
        "1_x.AAAA",
        "1_1." + "A" * 5000,
        "1_2..",
        "." * 50,
        "1_1.%3Cscript%3E",
        "1_99999999999999999999." + deck.encode_slide(SLIDES[0]),
    ],
)
def test_bad_links_never_raise(text):
    got = decode(text)
    assert isinstance(got, deck.Decoded)
    assert got.notices or got.slides


def test_a_newer_version_says_so():
    got = decode("2_1.AAAA")
    assert got.slides == () and "format" in got.notices[0]


def _token(fields) -> str:
    import json
    import zlib

    raw = json.dumps(fields).encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=deck.DICTIONARY_V1)
    return deck._b64(zlib.crc32(raw).to_bytes(4, "big")[:3] + c.compress(raw) + c.flush())


@pytest.mark.parametrize(
    "fields",
    [{"page": "map"}, ["map", 3], ["nowhere", ""], [], ["map", "", "", "", "", "extra"], "map"],
)
def test_well_formed_tokens_that_are_not_slides_are_refused(fields):
    got = decode("1_1." + _token(fields))
    assert got.slides == () and got.notices


def test_a_deflate_bomb_is_refused():
    import json
    import zlib

    raw = json.dumps(["map", "a=" + "x" * 100_000]).encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=deck.DICTIONARY_V1)
    token = deck._b64(zlib.crc32(raw).to_bytes(4, "big")[:3] + c.compress(raw) + c.flush())
    got = decode("1_1." + token)
    assert got.slides == () and "too large" in got.notices[0]


def test_budget():
    with pytest.raises(ValueError):
        encode([SLIDES[0]] * (deck.MAX_SLIDES + 1))
    with pytest.raises(ValueError):
        make_slide("map", "a=" + "x" * deck.MAX_QUERY)
    with pytest.raises(ValueError):
        make_slide("data", "")
    # forty typical slides fit the stated budget
    assert len(encode((SLIDES * 14)[: deck.MAX_SLIDES])) <= deck.MAX_CHARS


def test_titles_and_notes_are_one_clean_line_within_their_limits():
    s = make_slide("map", "", "A\ntitle\u202e\x00 here", "x" * 500)
    assert s.title == "A title here"
    assert len(s.note) == deck.MAX_NOTE and s.note.endswith("…")


def test_editing_helpers():
    s = tuple(SLIDES)
    assert deck.moved(s, 0, 1) == (s[1], s[0], s[2])
    assert deck.moved(s, 2, 5) == s
    assert deck.moved(s, 0, -1) == s
    assert deck.removed(s, 1) == (s[0], s[2])
    assert deck.retitled(s, 0, title="New")[0].title == "New"
    assert deck.retitled(s, 0, note="n")[0].note == "n"
    assert deck.moved(s, 9, 1) == s and deck.removed(s, 9) == s


text_st = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
query_st = st.dictionaries(
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8), text_st.filter(bool), max_size=5
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(deck.PAGES)), query_st, text_st, text_st, text_st), max_size=6)
)
def test_round_trip_property(rows):
    slides = [make_slide(p, q, t, n, part) for p, q, t, n, part in rows]
    got = decode(encode(slides))
    assert got.notices == ()
    assert list(got.slides) == slides


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_decodes_without_raising(text):
    got = decode(text)
    assert all(isinstance(s, Slide) for s in got.slides)
