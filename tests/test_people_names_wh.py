"""Name boundaries and title attribution of the people extractor on real White House documents."""

from __future__ import annotations

import pytest

from communique.extract.people import extract_people
from communique.ingest import SourceFile, load_document
from communique.resolve.people import person_names
from tests.conftest import WH, needs_wh

pytestmark = needs_wh


def _roles(rel: str) -> dict[str, dict]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    out = {}
    for fact in extract_people(doc):
        v = fact.value
        name = person_names([(v["context"], v["name_at"], v["name_at"] + len(v["name"]), v["strict"])])[0]
        if name:
            out.setdefault(name, v)
    return out


def test_a_title_in_a_plural_list_starts_its_own_descriptor() -> None:
    """'Senators Wicker and Hyde-Smith and Congressman Bennie Thomas': Thomas is a Congressman;
    'Representatives Waltz and Pascrell, and Senators Daines, ..., and Marshall': Marshall a Senator."""
    roles = _roles("press-briefings/2023-03/2023-03-27-press-briefing-by-press-secretary-karine-jean-pierre-21.md")
    assert roles["Bennie Thomas"]["title"] == "Congressman"
    roles = _roles("legislation/2024-02/2024-02-09-press-release-bill-signed-h-r-1568.md")
    assert roles["Marshall"]["title"] == "Senator"


def test_a_title_followed_by_a_name_is_that_names() -> None:
    """'Angeles County Supervisor Hilda Solis, Passaic Mayor Hector Lora': Lora is the Mayor."""
    roles = _roles("statements-releases/2021-09/2021-09-24-readout-of-virtual-roundtable-with-latino-elected-officials.md")
    assert roles["Hector Lora"]["title"] == "Mayor"
    assert all(v["title"] != "Mayor" for n, v in roles.items() if "Solis" in n)


def test_a_name_after_its_title_keeps_its_surname() -> None:
    roles = _roles("statements-releases/2023-04/2023-04-14-what-they-are-saying-members-of-congress-local-leaders-"
                   "immigration-advocates-and-more-celebrate-the-biden-administrations-expansion-of-the-affordable-"
                   "care-act-to-daca-recipients.md")
    assert "Maria Elena Durazo" in roles and "Maria Elena" not in roles


@pytest.mark.parametrize("rel,name", [
    ("speeches-remarks/2022-07/2022-07-16-remarks-by-president-biden-and-president-mohamed-bin-zayed-al-nahyan-of-"
     "the-united-arab-emirates-before-bilateral-meeting.md", "Mohamed bin Zayed"),
])
def test_a_particle_never_ends_a_name(rel: str, name: str) -> None:
    roles = _roles(rel)
    assert any(n.startswith(name) for n in roles) and not any(n.endswith(" bin") for n in roles)


def test_honorifics_and_ranks() -> None:
    """'Honorable Kamala Harris' is Kamala Harris; 'Rob Knake as Deputy National Cyber Director'
    is a Deputy Director; 'Counselor to the President Emmanuel Bonne' is no President."""
    roles = _roles("statements-releases/2022-05/2022-05-10-office-of-the-national-cyber-director-announces-senior-"
                   "leadership.md")
    assert roles["Rob Knake"]["title"] == "Deputy Director"
    rel = next((WH / "statements-releases/2023-11").glob("2023-11-14-readout-of-national-security-advisor-sullivan*"))
    roles = _roles(str(rel.relative_to(WH)))
    assert "Emmanuel Bonne" not in roles or roles["Emmanuel Bonne"]["title"] != "President"


def test_a_headline_name_ends_where_the_body_stops_writing_its_words() -> None:
    """'Remarks by President Biden Before Marine One Departure': a transcript never writes "Before
    Marine"; 'Statement from President Joe Biden Welcoming Mark Rutte as Secretary General': Rutte
    is the Secretary General."""
    roles = _roles("speeches-remarks/2021-03/2021-03-26-remarks-by-president-biden-before-marine-one-departure.md")
    assert not any("Before" in n for n in roles)
    rel = next((WH / "statements-releases/2024-10").glob("2024-10-01-statement-from-president-joe-biden-welcoming-mark-r*"))
    roles = _roles(str(rel.relative_to(WH)))
    assert roles["Mark Rutte"]["title"] == "Secretary General"
    assert all(v["title"] != "Secretary General" for n, v in roles.items() if "Biden" in n)


def test_a_rank_before_a_title_is_part_of_it_and_a_listed_name_keeps_its_own() -> None:
    """'Deputy Secretary of Defense Kathleen Hicks, Deputy Secretary of Agriculture Jewel Bronaugh,
    Under Secretary of Commerce ...': Hicks is no Secretary of Defense, and the Under Secretary after
    Bronaugh's name is the next person's title, not hers."""
    rel = ("statements-releases/2022-09/2022-09-14-fact-sheet-the-united-states-announces-new-investments-"
           "and-resources-to-advance-president-bidens-national-biotechnology-and-biomanufacturing-initiative.md")
    assert _roles(rel)["Kathleen Hicks"]["title"] == "Deputy Secretary of Defense"
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    bronaugh = {f.value["title"] for f in extract_people(doc) if f.value["name"] == "Jewel Bronaugh"}
    assert bronaugh == {"Deputy Secretary of Agriculture"}


def test_then_is_former_and_a_signature_is_no_name() -> None:
    """'then-U.S. Senator Joseph R. Biden Jr.' in a 2023 biography is a former Senator; 'President
    Joe Biden  \\nJune 3, 2021' under a quotation names Joe Biden, not 'Joe Biden June'; 'Signed
    Joseph R. Biden, the President' names Joseph R. Biden."""
    rel = next((WH / "statements-releases").glob("*/*-president-biden-announces-key-appointments-to-boards-and-"
                                                 "commissions-25.md"))
    roles = _roles(str(rel.relative_to(WH)))
    senator = [v for n, v in roles.items() if n.startswith("Joseph R. Biden") and "Senator" in v["title"]]
    assert senator and all(v["status"] == "former" and v["title"] == "former Senator" for v in senator)
    roles = _roles("statements-releases/2021-12/2021-12-06-fact-sheet-u-s-strategy-on-countering-corruption.md")
    assert "Joe Biden" in roles and not any(n.endswith(("June", "September")) for n in roles)
    rel = next((WH / "speeches-remarks").glob("2021-12/*-at-presentation-of-the-medal-of-honor.md"))
    roles = _roles(str(rel.relative_to(WH)))
    assert not any(n.startswith("Signed") for n in roles) and "Joseph R. Biden" in roles


def test_acting_is_written_once() -> None:
    roles = _roles("statements-releases/2021-08/2021-08-21-president-biden-announces-presidential-delegation-to-"
                   "the-republic-of-zambia-to-attend-the-inauguration-of-his-excellency-hakainde-hichilema.md")
    assert not any("Acting Acting" in (v["title"] or "") for v in roles.values())
    assert any((v["title"] or "").startswith("Acting ") for v in roles.values())


def test_a_verb_after_a_name_ends_it() -> None:
    """'Secretary Becerra Authorized Priority Orders' (a list of headlines in the body) names Becerra."""
    rel = next((WH / "statements-releases").glob("*/*-two-infant-formula-defense-production-act-authorizations.md"))
    roles = _roles(str(rel.relative_to(WH)))
    assert "Becerra" in roles or "Xavier Becerra" in roles
    assert not any("Authorized" in n for n in roles)


def test_a_rank_is_read_once_a_common_word_is_no_name_and_a_possessive_title_is_anothers() -> None:
    """'Lynne Parker, Principal Deputy Director' is no 'Principal Deputy Principal Deputy Director';
    '*President and Vice President Highlight National Progress ...' names nobody Highlight;
    'Julissa Reynoso, the First Lady’s chief of staff' is no First Lady."""
    rel = next((WH / "briefings-statements").glob("2025-02/*-public-comment-invited-on-artificial-intelligence-action-plan.md"))
    doc = load_document(SourceFile(str(rel), str(rel.relative_to(WH)), str(WH)))
    assert {f.value["title"] for f in extract_people(doc) if f.value["name"] == "Lynne Parker"} == {"Principal Deputy Director"}
    rel = next((WH / "statements-releases").glob("*/*-for-philadelphia-water-upgrades-and-lead-service-removal.md"))
    assert "Highlight" not in _roles(str(rel.relative_to(WH)))
    roles = _roles("press-briefings/2022-01/2022-01-06-press-briefing-by-press-secretary-jen-psaki-january-6-2022.md")
    assert all(v["title"] != "First Lady" for n, v in roles.items() if "Reynoso" in n)


def test_a_word_the_speaker_broke_off_is_no_name() -> None:
    """'Secretary Llo- — Lloyd Austin' names Lloyd Austin, not 'Llo'."""
    rel = next((WH / "speeches-remarks").glob("*/*-by-president-biden-at-the-truman-civil-rights-symposium.md"))
    roles = _roles(str(rel.relative_to(WH)))
    assert "Llo" not in roles
