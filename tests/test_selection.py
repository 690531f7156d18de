"""Choosing areas from a URL list: parsing, code changes, notices (hand-made codes)."""

from lumap.analysis.selection import descendants, predecessors, replaced_notes, resolve_areas, split_codes

# A chain and a merge: OLD1 -> MID1 -> NEW1; A and B merged into AB.
SUCC = {
    "E07000001": ["E07000002"],  # OLD1 -> MID1
    "E07000002": ["E06000001"],  # MID1 -> NEW1
    "E07000010": ["E06000010"],  # A -> AB
    "E07000011": ["E06000010"],  # B -> AB
}
NAMES = {
    "E07000001": "Old One",
    "E07000002": "Mid One",
    "E06000001": "New One",
    "E07000010": "Aville",
    "E07000011": "Bville",
    "E06000010": "ABshire",
    "W06000001": "Welsh Place",
    "E06000099": "Elsewhere",
}


def test_split_codes_cleans_dedupes_and_keeps_order():
    assert split_codes(" e06000009, E08000003,,E06000009 ") == ["E06000009", "E08000003"]
    assert split_codes(None) == []
    assert split_codes("") == []
    assert split_codes(["a", "A", " b "]) == ["A", "B"]


def test_predecessors_and_descendants_follow_chains():
    assert descendants("E07000001", SUCC) == ["E07000002", "E06000001"]
    assert predecessors("E06000001", SUCC) == ["E07000002", "E07000001"]
    assert sorted(predecessors("E06000010", SUCC)) == ["E07000010", "E07000011"]
    assert predecessors("E07000001", SUCC) == [] and descendants("E06000001", SUCC) == []
    cyc = {"E07000001": ["E07000002"], "E07000002": ["E07000001"]}  # a bad cycle stops
    assert descendants("E07000001", cyc) == ["E07000002"]


def test_available_codes_are_kept_in_order_without_notices():
    kept, notes = resolve_areas(["E06000010", "E06000001"], {"E06000001", "E06000010"}, SUCC, NAMES)
    assert kept == ["E06000010", "E06000001"] and notes == []


def test_old_code_is_replaced_by_its_available_successor_with_a_notice():
    kept, notes = resolve_areas(["E07000001"], {"E06000001"}, SUCC, NAMES)
    assert kept == ["E06000001"]
    assert notes == ["Old One (E07000001) was replaced by New One (E06000001); showing it instead."]


def test_new_code_falls_back_to_the_old_code_the_data_still_uses():
    kept, notes = resolve_areas(["E06000001"], {"E07000002"}, SUCC, NAMES)
    assert kept == ["E07000002"]
    assert "publishes it under its previous code E07000002" in notes[0]


def test_merged_new_code_with_several_old_codes_is_not_guessed():
    kept, notes = resolve_areas(["E06000010"], {"E07000010", "E07000011"}, SUCC, NAMES, what="the areas")
    assert kept == []
    assert notes == ["ABshire (E06000010) is not among the areas; left out."]


def test_bad_and_unpublished_codes_are_dropped_with_reasons():
    kept, notes = resolve_areas(
        ["nonsense<script>", "W06000001", "E06000099", "E06000001"],
        {"E06000001"},
        SUCC,
        NAMES,
        nations={"E"},
        what="the areas with data",
    )
    assert kept == ["E06000001"]
    assert notes[0] == "“NONSENSE?SCRIPT?” is not an area code; left out."  # no markup echoed
    assert notes[1] == "Welsh Place (W06000001): this indicator is not published for Wales; left out."
    assert notes[2] == "Elsewhere (E06000099) is not among the areas with data; left out."


def test_limit_keeps_the_first_ones():
    codes = [f"E0600{i:04d}" for i in range(12)]
    kept, notes = resolve_areas(codes, set(codes), {}, {}, limit=10)
    assert kept == codes[:10]
    assert notes == ["At most 10 areas can be shown at once; showing the first 10."]


def test_replaced_notes_name_the_new_codes():
    assert replaced_notes(["E07000010", "E06000010"], SUCC, NAMES) == [
        "Aville (E07000010) is an old code, replaced by ABshire (E06000010); the source still "
        "publishes figures under it here."
    ]
    assert replaced_notes(["E07000001"], SUCC, NAMES)[0].startswith(
        "Old One (E07000001) is an old code, replaced by Mid One (E07000002)"
    )
