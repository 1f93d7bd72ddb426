"""Build the demo map of a fictional integrated care system and write it as project JSON.

Every person and organisation here is invented. The data are written by hand (no randomness),
so running ``python sample_data/build_sample.py`` always writes the same file. The gaps
planted for the analysis to find are listed in ``sample_data/README.md``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout without installing
    sys.path.insert(0, str(ROOT))

from mapping.demo.sample import SAMPLE_PATH  # noqa: E402
from mapping.io.project_json import dumps  # noqa: E402
from mapping.model import Map, Relationship, Stakeholder  # noqa: E402

__all__ = ["NAME", "DESCRIPTION", "build_sample", "main"]

NAME = "Riverside and Hallam ICS: joining up hospital discharge and intermediate care"
DESCRIPTION = (
    "Who we need to win over to join up hospital discharge and intermediate care across "
    "Riverside and Hallam: one transfer of care hub, home first by default, and a single "
    "intermediate care offer across the NHS, the councils and the voluntary sector. "
    "A fictional demo: every person and organisation in it is invented."
)

# Perspectives (mapping.model.DEFAULT_PERSPECTIVES).
CLIN = "clinical"
PAT = "patient & carer"
COM = "commissioner"
PROV = "provider"
LA = "local authority & social care"
VCSE = "voluntary & community sector"
PH = "public health"
OTHER = "other"

# Organisations.
ICB = "NHS Riverside and Hallam Integrated Care Board"
RUH = "Riverside University Hospitals NHS Foundation Trust"
HCH = "Hallam Community Health NHS Trust"
RHP = "Riverside and Hallam Partnership NHS Foundation Trust"
HC_PCN = "Hallam Central Primary Care Network"
RN_PCN = "Riverside North Primary Care Network"
FED = "Hallam GP Federation"
AMB = "Northern Counties Ambulance Service NHS Trust"
CHA = "Riverside Care Home Association"
CAREWELL = "CareWell Homecare Ltd"
LPC = "Riverside and Hallam Community Pharmacy Committee"
RCC = "Riverside County Council"
HDC = "Hallam District Council"
HW = "Healthwatch Riverside"
CARERS = "Riverside Carers' Centre"
PPG = "Hallam Central Patient Participation Group"
VAR = "Voluntary Action Riverside"
AGE = "Age Concern Riverside and Hallam"
HOSPICE = "St Cuthbert's Hospice"
POLISH = "Riverside Polish Community Association"
TRANSPORT = "Hallam Community Transport"
HOMES = "Hallam Homes Housing Association"
HIN = "Northern Health Innovation Network"
NHSE = "NHS England – Northern Region"
PARLIAMENT = "House of Commons"

# fmt: off
# id, name, organisation, role;
#     perspective, influence, interest, stance, in the coalition
PEOPLE = (
    ("s01", "Helen Ashworth", ICB, "Chief Executive",
     COM, 5, 3, "supporter", False),
    ("s02", "Marcus Oyelaran", ICB, "Director of Strategy (programme SRO)",
     COM, 4, 5, "champion", True),
    ("s03", "Dr Farah Siddiqui", ICB, "Chief Medical Officer",
     CLIN, 5, 4, "supporter", True),
    ("s04", "Gareth Pryce", ICB, "Chief Finance Officer",
     COM, 5, 2, "neutral", False),
    ("s05", "Joanne Whitfield", ICB, "Head of Urgent and Emergency Care",
     COM, 3, 5, "champion", True),
    ("s06", "Ciaran Doyle", ICB, "Head of Continuing Healthcare",
     COM, 2, 4, "neutral", False),
    ("s07", "Amira Haddad", ICB, "Place Director, Hallam",
     COM, 4, 4, "supporter", True),
    ("s08", "Richard Hale", RUH, "Chief Executive",
     PROV, 5, 3, "sceptic", False),
    ("s09", "Sarah Whitcombe", RUH, "Chief Operating Officer",
     PROV, 4, 5, "neutral", False),
    ("s10", "Daniel Kowalski", RUH, "Deputy COO, Patient Flow",
     PROV, 3, 5, "champion", True),
    ("s11", "Dr Imran Chaudhry", RUH, "Medical Director",
     CLIN, 4, 3, "neutral", False),
    ("s12", "Dr Tom Okonkwo", RUH, "Consultant Geriatrician, Frailty Lead",
     CLIN, 3, 5, "champion", True),
    ("s13", "Grace Mensah", RUH, "Matron, Integrated Discharge Team",
     CLIN, 2, 5, "champion", True),
    ("s14", "Nadia Rahman", HCH, "Chief Executive",
     PROV, 5, 4, "champion", True),
    ("s15", "Owen Griffiths", HCH, "Director of Operations",
     PROV, 4, 5, "supporter", True),
    ("s16", "Lucy Tran", HCH, "Head of Intermediate Care",
     PROV, 3, 5, "champion", True),
    ("s17", "Kate Brennan", HCH, "Lead Occupational Therapist",
     CLIN, 2, 5, "supporter", False),
    ("s18", "Femi Adebayo", RHP, "Director of Operations",
     PROV, 4, 2, "neutral", False),
    ("s19", "Dr Anjali Mehta", RHP, "Consultant Psychiatrist, Older Adults",
     CLIN, 3, 3, "unknown", False),
    ("s20", "Dr Rhiannon Evans", HC_PCN, "Clinical Director",
     CLIN, 3, 4, "supporter", True),
    ("s21", "Dr Peter Lindqvist", FED, "Chair",
     CLIN, 4, 3, "sceptic", False),
    ("s22", "Dr Olamide Bankole", RN_PCN, "Clinical Director",
     CLIN, 3, 3, "neutral", False),
    ("s23", "Bronwen Lloyd", AMB, "Head of Clinical Operations",
     PROV, 3, 3, "unknown", False),
    ("s24", "Elaine McAllister", CHA, "Chair",
     PROV, 3, 4, "opposed", False),
    ("s25", "Jason Clarke", CAREWELL, "Managing Director",
     PROV, 2, 4, "neutral", False),
    ("s26", "Kieran Walsh", LPC, "Chief Officer",
     PROV, 2, 2, "unknown", False),
    ("s27", "Martin Blackwood", RCC, "Director of Adult Social Services",
     LA, 5, 3, "neutral", False),
    ("s28", "Priya Raman", RCC, "Assistant Director, Hospital and Intermediate Care",
     LA, 3, 5, "champion", True),
    ("s29", "Cllr Denise Harper", RCC, "Cabinet Member for Adult Social Care",
     LA, 4, 3, "opposed", False),
    ("s30", "Tomasz Nowak", RCC, "Head of Reablement",
     LA, 2, 5, "supporter", False),
    ("s31", "Aisha Bello", RCC, "Team Manager, Hospital Social Work",
     LA, 2, 5, "supporter", False),
    ("s32", "Graham Fletcher", RCC, "Commissioning Manager, Home Care",
     LA, 2, 4, "neutral", False),
    ("s33", "Chloe Abbott", RCC, "Principal Occupational Therapist",
     LA, 2, 4, "supporter", False),
    ("s34", "Siân Morgan", HDC, "Head of Housing Options",
     LA, 3, 3, "unknown", False),
    ("s35", "Dr Jonathan Reeve", RCC, "Director of Public Health",
     PH, 4, 2, "neutral", False),
    ("s36", "Mei Ling Cheung", RCC, "Consultant in Public Health, Healthy Ageing",
     PH, 2, 4, "supporter", False),
    ("s37", "Kwame Asante", RCC, "Public Health Intelligence Manager",
     PH, 1, 3, "unknown", False),
    ("s38", "Zoë Fairweather", HW, "Chief Officer",
     PAT, 3, 5, "supporter", False),
    ("s39", "Hannah Goldberg", CARERS, "Centre Manager",
     PAT, 2, 5, "supporter", False),
    ("s40", "Bernard O'Sullivan", CARERS, "Carer Representative",
     PAT, 1, 5, "champion", False),
    ("s41", "Mohammed Iqbal", PPG, "Chair",
     PAT, 1, 4, "unknown", False),
    ("s42", "Lorraine Beckett", HCH, "Lived Experience Partner",
     PAT, 1, 4, "supporter", False),
    ("s43", "Claire Donnelly", VAR, "Chief Executive (VCSE partner member, ICB board)",
     VCSE, 4, 4, "champion", True),
    ("s44", "Ravi Shankar", AGE, "Service Manager, Home from Hospital",
     VCSE, 2, 5, "supporter", True),
    ("s45", "Ruth Adeyemi", HOSPICE, "Chief Executive",
     VCSE, 3, 3, "neutral", False),
    ("s46", "Agnieszka Zielińska", POLISH, "Community Coordinator",
     VCSE, 1, 2, "unknown", False),
    ("s47", "Gwen Thomas", TRANSPORT, "Volunteer Coordinator",
     VCSE, 1, 3, "supporter", False),
    ("s48", "Fiona Campbell", HOMES, "Director of Housing and Support",
     OTHER, 3, 3, "neutral", False),
    ("s49", "Dr Ahmed Karim", HIN, "Director",
     OTHER, 4, 3, "supporter", True),
    ("s50", "Victoria Lang", NHSE, "Regional Director, Urgent and Emergency Care",
     OTHER, 4, 4, "neutral", False),
    ("s51", "Amanda Croft MP", PARLIAMENT, "Member of Parliament for Riverside East",
     OTHER, 3, 3, "sceptic", False),
    ("s52", "Yusuf Demir", RN_PCN, "Social Prescribing Link Worker",
     OTHER, 1, 3, "unknown", False),
)
# fmt: on

TAGS = {
    "s01": "executive|board",
    "s02": "executive|programme board|SRO",
    "s03": "executive|board|clinical leadership",
    "s04": "executive|finance",
    "s05": "programme board|urgent care",
    "s06": "continuing healthcare",
    "s07": "place|programme board",
    "s08": "executive|board",
    "s09": "executive|flow",
    "s10": "programme board|flow|transfer of care hub",
    "s12": "frailty|programme board",
    "s13": "discharge|transfer of care hub",
    "s14": "executive|board|programme board",
    "s15": "executive|intermediate care",
    "s16": "intermediate care|virtual wards|programme board",
    "s17": "therapy|workforce",
    "s20": "primary care|programme board",
    "s21": "primary care",
    "s22": "primary care",
    "s24": "care homes",
    "s25": "home care",
    "s26": "community pharmacy",
    "s27": "executive|Better Care Fund",
    "s28": "programme board|Better Care Fund|reablement",
    "s29": "elected member",
    "s30": "reablement",
    "s31": "discharge|social work",
    "s33": "therapy|adaptations",
    "s34": "housing",
    "s35": "executive|Health and Wellbeing Board",
    "s36": "healthy ageing|data",
    "s37": "data",
    "s38": "lived experience|Health and Wellbeing Board",
    "s39": "carers",
    "s40": "carers|lived experience",
    "s41": "lived experience",
    "s42": "lived experience|co-design",
    "s43": "board|VCSE alliance|programme board",
    "s44": "discharge|home from hospital",
    "s46": "seldom heard",
    "s47": "transport",
    "s48": "housing",
    "s49": "evaluation|funding",
    "s50": "assurance|urgent care",
    "s52": "social prescribing",
}

REVIEW_BY = {
    "s08": "2026-09-30",
    "s21": "2026-06-30",
    "s24": "2025-12-31",
    "s27": "2027-01-31",
    "s29": "2026-10-31",
    "s34": "2027-03-31",
    "s35": "2027-02-28",
    "s38": "2027-01-15",
    "s46": "2026-05-31",
    "s50": "2027-03-31",
    "s51": "2027-06-30",
}

NOTES = {
    "s02": "Chairs the discharge programme board; holds the Better Care Fund pen for the ICB.",
    "s04": "Worried about double-running costs while the hub beds in; wants a cash-releasing case.",
    "s08": "Backs 'home first' in public but guards the trust's own discharge team.",
    "s10": "Runs the daily flow call. Pushing for the hub to sit inside the hospital.",
    "s15": "Wants the hub run from the community trust; see the conflict with Daniel.",
    "s21": "Practices fear discharge work landing on them without resources.",
    "s24": "Homes refuse weekend admissions after bad experiences with discharge summaries.",
    "s26": "Added after the medicines-on-discharge workshop; nobody has met him yet.",
    "s28": "The only council person on the programme board; social care goes via her.",
    "s29": "Opposes pooling the reablement budget before the council's own review reports.",
    "s38": (
        "Zoë's view: 'discharge & flow' first – then \"home first\" for everyone. "
        "Wants carers in the room, not just consulted."
    ),
    "s40": "Cared for his mother through three discharges in 2025; speaks at carers' forums.",
    "s46": "Supports older Polish-speaking residents; interpreting gaps on discharge.",
    "s51": "Casework on delayed discharges; critical of the ICB in the local paper.",
    "s52": "Added by Rhiannon; links to community groups not yet on the map.",
}

CUSTOM = {
    "s02": {"workstream": "Programme leadership"},
    "s10": {"workstream": "Transfer of care hub"},
    "s13": {"workstream": "Transfer of care hub"},
    "s16": {"workstream": "Intermediate care"},
    "s28": {"workstream": "Reablement and social care"},
    "s44": {"workstream": "Home from hospital"},
}

# How we know about a tie.
ORG_CHART = "Organisation chart"
BOARD = "Discharge programme board"
HWB = "Health and Wellbeing Board"
PROV_COLLAB = "Provider collaborative board"
CONTRACT = "Contract register"
BCF = "Better Care Fund plan"
HUB = "Seen at the transfer of care hub"
PRIYA = "Told by Priya Raman"
ONE_TO_ONE = "Said so in a 1:1"
VCSE_FORUM = "VCSE alliance meeting"
PLACE = "Hallam place partnership"

DIR = True
MUT = False

# fmt: off
# id, source, target, type, strength, directed, how we know, last confirmed (None: never)
TIES = (
    # ICB
    ("r001", "s02", "s01", "reports to", 4, DIR, ORG_CHART, "2026-10-14"),
    ("r002", "s03", "s01", "reports to", 4, DIR, ORG_CHART, "2026-10-14"),
    ("r003", "s04", "s01", "reports to", 4, DIR, ORG_CHART, "2026-06-03"),
    ("r004", "s05", "s02", "reports to", 5, DIR, ORG_CHART, "2026-11-02"),
    ("r005", "s06", "s03", "reports to", 3, DIR, ORG_CHART, "2025-09-18"),
    ("r006", "s07", "s01", "reports to", 3, DIR, ORG_CHART, "2026-04-22"),
    ("r007", "s02", "s07", "collaborates", 4, MUT, BOARD, "2026-11-02"),
    ("r008", "s02", "s03", "informal trust", 5, MUT, ONE_TO_ONE, "2026-08-19"),
    ("r009", "s02", "s04", "collaborates", 2, MUT, "Discharge fund business case", "2026-03-10"),
    ("r010", "s05", "s06", "collaborates", 3, MUT, "", "2025-07-01"),
    ("r011", "s01", "s04", "informal trust", 4, MUT, "", None),
    ("r012", "s04", "s06", "collaborates", 2, MUT, "CHC budget review", "2025-08-14"),
    ("r013", "s03", "s05", "collaborates", 3, MUT, BOARD, "2026-11-02"),
    # Riverside University Hospitals
    ("r014", "s09", "s08", "reports to", 5, DIR, ORG_CHART, "2026-09-01"),
    ("r015", "s11", "s08", "reports to", 4, DIR, ORG_CHART, "2026-09-01"),
    ("r016", "s10", "s09", "reports to", 4, DIR, ORG_CHART, "2026-09-01"),
    ("r017", "s12", "s11", "reports to", 3, DIR, ORG_CHART, "2025-05-12"),
    ("r018", "s13", "s10", "reports to", 4, DIR, ORG_CHART, "2026-07-07"),
    ("r019", "s12", "s13", "informal trust", 5, MUT, HUB, "2026-11-12"),
    ("r020", "s08", "s11", "informal trust", 4, MUT, "", "2025-03-04"),
    ("r021", "s10", "s12", "collaborates", 4, MUT, BOARD, "2026-11-02"),
    ("r022", "s09", "s13", "collaborates", 2, MUT, HUB, "2026-06-15"),
    ("r023", "s09", "s11", "collaborates", 4, MUT, "Trust executive team", "2026-09-01"),
    # Hallam Community Health
    ("r024", "s15", "s14", "reports to", 5, DIR, ORG_CHART, "2026-08-01"),
    ("r025", "s16", "s15", "reports to", 5, DIR, ORG_CHART, "2026-08-01"),
    ("r026", "s17", "s16", "reports to", 4, DIR, ORG_CHART, "2026-08-01"),
    ("r027", "s14", "s15", "informal trust", 4, MUT, ONE_TO_ONE, "2026-05-20"),
    ("r028", "s16", "s17", "collaborates", 5, MUT, "Intermediate care huddle", "2026-10-29"),
    ("r029", "s42", "s16", "advises", 3, DIR, "Co-design workshop", "2026-09-24"),
    ("r030", "s14", "s16", "informal trust", 3, MUT, "Site visit", "2026-03-18"),
    # Mental health trust
    ("r031", "s19", "s18", "collaborates", 3, MUT, ORG_CHART, "2025-02-10"),
    ("r032", "s18", "s15", "collaborates", 3, MUT, PROV_COLLAB, "2026-01-28"),
    ("r033", "s19", "s12", "collaborates", 3, MUT, "Delirium pathway group", "2026-04-16"),
    # Primary care
    ("r034", "s20", "s21", "collaborates", 3, MUT, "GP Federation board", "2026-02-12"),
    ("r035", "s22", "s21", "collaborates", 4, MUT, "GP Federation board", "2026-02-12"),
    ("r036", "s20", "s22", "informal trust", 3, MUT, "", "2025-10-01"),
    ("r037", "s03", "s21", "informal trust", 3, MUT, "Former practice partners", "2024-06-30"),
    ("r038", "s12", "s22", "collaborates", 2, MUT, "Frailty advice line", "2026-03-19"),
    ("r039", "s19", "s20", "collaborates", 2, MUT, "", None),
    ("r040", "s52", "s22", "reports to", 3, DIR, "PCN staff list", "2026-10-08"),
    # Riverside County Council: adult social care
    ("r041", "s28", "s27", "reports to", 5, DIR, ORG_CHART, "2026-10-30"),
    ("r042", "s30", "s28", "reports to", 4, DIR, ORG_CHART, "2026-10-30"),
    ("r043", "s31", "s28", "reports to", 4, DIR, ORG_CHART, "2026-10-30"),
    ("r044", "s32", "s27", "reports to", 3, DIR, ORG_CHART, "2025-06-30"),
    ("r045", "s33", "s30", "reports to", 3, DIR, ORG_CHART, "2025-06-30"),
    ("r046", "s27", "s29", "advises", 4, DIR, PRIYA, "2026-07-14"),
    ("r047", "s28", "s29", "advises", 2, DIR, ONE_TO_ONE, "2026-07-14"),
    ("r048", "s30", "s33", "collaborates", 4, MUT, PRIYA, "2026-05-05"),
    ("r049", "s31", "s30", "collaborates", 3, MUT, PRIYA, "2026-05-05"),
    ("r050", "s32", "s25", "commissions", 3, DIR, CONTRACT, "2026-04-01"),
    ("r051", "s25", "s30", "collaborates", 3, MUT, PRIYA, "2025-11-20"),
    ("r052", "s27", "s31", "informal trust", 3, MUT, PRIYA, "2024-09-09"),
    ("r053", "s31", "s33", "collaborates", 3, MUT, PRIYA, "2026-05-05"),
    # Hallam District Council and housing
    ("r054", "s34", "s33", "collaborates", 3, MUT, "Disabled facilities grant panel", "2025-08-21"),
    ("r055", "s34", "s48", "collaborates", 4, MUT, "Housing options forum", "2026-06-11"),
    ("r056", "s48", "s32", "collaborates", 1, MUT, "", "2024-12-02"),
    # Public health
    ("r057", "s36", "s35", "reports to", 4, DIR, ORG_CHART, "2026-03-01"),
    ("r058", "s37", "s36", "reports to", 4, DIR, ORG_CHART, "2026-03-01"),
    ("r059", "s35", "s01", "collaborates", 3, MUT, HWB, "2026-09-17"),
    ("r060", "s35", "s03", "informal trust", 4, MUT, ONE_TO_ONE, "2026-06-26"),
    ("r061", "s36", "s02", "advises", 2, DIR, "Population health board", "2025-11-04"),
    ("r062", "s36", "s12", "collaborates", 3, MUT, "Falls prevention group", "2026-02-05"),
    ("r063", "s36", "s16", "collaborates", 2, MUT, "Falls prevention group", "2026-02-05"),
    ("r064", "s37", "s49", "collaborates", 2, MUT, "Evaluation steering group", "2026-09-15"),
    ("r065", "s37", "s05", "collaborates", 2, MUT, "Discharge dashboard", "2026-08-27"),
    ("r066", "s35", "s28", "collaborates", 2, MUT, "Council people directorate team", "2026-01-15"),
    ("r067", "s35", "s27", "conflict", 3, MUT, PRIYA, "2026-04-09"),
    # Patients and carers
    ("r068", "s40", "s39", "collaborates", 5, MUT, "Carers' forum", "2026-10-21"),
    ("r069", "s39", "s38", "informal trust", 4, MUT, "", "2026-07-30"),
    ("r070", "s38", "s02", "advises", 2, DIR, BOARD, "2026-05-06"),
    ("r071", "s38", "s43", "collaborates", 4, MUT, VCSE_FORUM, "2026-10-02"),
    ("r072", "s38", "s41", "collaborates", 3, MUT, "Healthwatch enter-and-view", "2025-06-12"),
    ("r073", "s41", "s20", "collaborates", 3, MUT, "PPG minutes", "2026-09-09"),
    ("r074", "s39", "s44", "collaborates", 4, MUT, "Referral data", "2026-08-14"),
    ("r075", "s40", "s13", "informal trust", 2, MUT, "Complaint correspondence", "2025-03-27"),
    ("r076", "s38", "s05", "collaborates", 2, MUT, "", None),
    ("r077", "s42", "s40", "informal trust", 3, MUT, "Co-design workshop", "2026-09-24"),
    ("r078", "s38", "s35", "collaborates", 2, MUT, HWB, "2026-09-17"),
    ("r079", "s39", "s28", "collaborates", 2, MUT, "Carers' assessment audit", "2025-10-14"),
    # Voluntary and community sector
    ("r080", "s44", "s43", "collaborates", 4, MUT, VCSE_FORUM, "2026-10-02"),
    ("r081", "s45", "s43", "collaborates", 3, MUT, VCSE_FORUM, "2026-10-02"),
    ("r082", "s46", "s43", "collaborates", 1, MUT, "VCSE directory", "2024-04-18"),
    ("r083", "s43", "s28", "collaborates", 3, MUT, BCF, "2026-06-30"),
    ("r084", "s52", "s47", "informal trust", 2, MUT, "", None),
    ("r085", "s47", "s44", "collaborates", 4, MUT, "Shared volunteer rota", "2026-06-03"),
    ("r086", "s44", "s45", "collaborates", 2, MUT, VCSE_FORUM, "2025-05-08"),
    ("r087", "s43", "s02", "informal trust", 4, MUT, ONE_TO_ONE, "2026-11-02"),
    ("r088", "s43", "s01", "collaborates", 3, MUT, "ICB board", "2026-10-14"),
    ("r089", "s05", "s44", "funds", 3, DIR, CONTRACT, "2026-04-01"),
    ("r090", "s45", "s12", "collaborates", 3, MUT, "End-of-life discharge audit", "2025-01-22"),
    ("r091", "s44", "s13", "collaborates", 4, MUT, HUB, "2026-11-12"),
    ("r092", "s07", "s45", "funds", 2, DIR, CONTRACT, "2025-04-01"),
    ("r093", "s43", "s14", "collaborates", 3, MUT, PROV_COLLAB, "2026-01-28"),
    ("r094", "s44", "s16", "collaborates", 3, MUT, "Intermediate care huddle", "2026-10-29"),
    # Commissioning, funding and assurance
    ("r095", "s05", "s09", "commissions", 3, DIR, CONTRACT, "2026-04-01"),
    ("r096", "s05", "s15", "commissions", 3, DIR, CONTRACT, "2026-04-01"),
    ("r097", "s06", "s24", "commissions", 2, DIR, CONTRACT, "2025-04-01"),
    ("r098", "s05", "s23", "commissions", 2, DIR, CONTRACT, "2026-04-01"),
    ("r099", "s04", "s08", "collaborates", 3, MUT, "System finance committee", "2026-06-24"),
    ("r100", "s01", "s08", "collaborates", 3, MUT, "System leadership group", "2026-09-10"),
    ("r101", "s01", "s14", "informal trust", 4, MUT, ONE_TO_ONE, "2026-08-05"),
    ("r102", "s01", "s50", "reports to", 3, DIR, "NHS England oversight meeting", "2026-07-23"),
    ("r103", "s50", "s05", "collaborates", 3, MUT, "Urgent care assurance call", "2026-10-16"),
    ("r104", "s08", "s50", "reports to", 2, DIR, "NHS England oversight meeting", "2025-10-07"),
    ("r105", "s49", "s10", "funds", 2, DIR, "Flow pilot grant letter", "2026-02-01"),
    # Politics
    ("r106", "s51", "s08", "informal trust", 3, MUT, "Local paper", "2026-03-13"),
    ("r107", "s51", "s29", "conflict", 2, MUT, "Council meeting", "2026-06-18"),
    # The programme: ties across organisations
    ("r108", "s02", "s14", "informal trust", 4, MUT, ONE_TO_ONE, "2026-09-29"),
    ("r109", "s38", "s51", "collaborates", 2, MUT, "MP briefing", "2026-02-20"),
    ("r110", "s02", "s10", "collaborates", 3, MUT, BOARD, "2026-11-02"),
    ("r111", "s02", "s28", "collaborates", 4, MUT, BOARD, "2026-11-02"),
    ("r112", "s05", "s28", "collaborates", 3, MUT, BCF, "2026-06-30"),
    ("r113", "s28", "s16", "collaborates", 3, MUT, "Intermediate care huddle", "2026-10-29"),
    ("r114", "s28", "s13", "collaborates", 2, MUT, HUB, "2026-11-12"),
    ("r115", "s10", "s15", "conflict", 3, MUT, BOARD, "2026-10-05"),
    ("r116", "s10", "s16", "collaborates", 2, MUT, HUB, "2026-11-12"),
    ("r117", "s12", "s16", "informal trust", 4, MUT, "Frailty virtual ward", "2026-08-28"),
    ("r118", "s03", "s12", "collaborates", 3, MUT, "Clinical senate", "2025-09-25"),
    ("r119", "s03", "s11", "informal trust", 3, MUT, "Medical directors' network", "2026-05-14"),
    ("r120", "s07", "s14", "collaborates", 4, MUT, PLACE, "2026-10-20"),
    ("r121", "s07", "s20", "collaborates", 4, MUT, PLACE, "2026-10-20"),
    ("r122", "s20", "s16", "collaborates", 3, MUT, "Frailty virtual ward", "2026-08-28"),
    ("r123", "s49", "s02", "advises", 3, DIR, "Evaluation steering group", "2026-09-15"),
    ("r124", "s09", "s15", "collaborates", 3, MUT, "Operations directors' call", "2026-10-27"),
    ("r125", "s21", "s16", "conflict", 2, MUT, "Letter from the Federation", "2026-01-09"),
    ("r126", "s23", "s10", "collaborates", 3, MUT, "Daily flow call", "2026-11-19"),
    ("r127", "s24", "s13", "collaborates", 2, MUT, "Trusted assessor pilot", "2025-08-08"),
    ("r128", "s17", "s13", "collaborates", 3, MUT, HUB, "2026-11-12"),
    ("r129", "s08", "s14", "collaborates", 2, MUT, PROV_COLLAB, "2026-01-28"),
)
# fmt: on

TIE_NOTES = {
    "r009": "Finance sceptical about double-running costs.",
    "r037": "Old practice partners; Farah can still get Peter on the phone.",
    "r067": "Disagree over using the public health grant for reablement.",
    "r075": "Bernard complained about his mother's discharge; partly repaired since.",
    "r107": "Opposite parties; public exchanges about delayed discharges.",
    "r115": "Both want to host the transfer of care hub; sharp words at the October board.",
    "r125": "The Federation says virtual wards shift work onto practices unfunded.",
    "r129": "Cordial but guarded on the provider collaborative board.",
}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def build_sample() -> Map:
    """The demo map, built from the tables above; the same map on every call.

    Examples
    --------
    >>> m = build_sample()
    >>> len(m.stakeholders), len(m.relationships)
    (52, 129)
    >>> build_sample() == m
    True
    """
    people = tuple(
        Stakeholder(
            id=sid,
            name=name,
            organisation=organisation,
            role=role,
            perspective=perspective,
            influence=influence,
            interest=interest,
            stance=stance,
            coalition=coalition,
            notes=NOTES.get(sid, ""),
            tags=TAGS.get(sid, ""),
            review_by=_day(REVIEW_BY.get(sid)),
            custom=CUSTOM.get(sid, {}),
        )
        for sid, name, organisation, role, perspective, influence, interest, stance, coalition in (
            PEOPLE
        )
    )
    ties = tuple(
        Relationship(
            id=rid,
            source=source,
            target=target,
            type=kind,
            strength=strength,
            directed=directed,
            how_we_know=how,
            last_confirmed=_day(confirmed),
            notes=TIE_NOTES.get(rid, ""),
        )
        for rid, source, target, kind, strength, directed, how, confirmed in TIES
    )
    return Map(name=NAME, description=DESCRIPTION, stakeholders=people, relationships=ties)


def main(argv: list[str] | None = None) -> int:
    """Write the demo map as project JSON to ``SAMPLE_PATH`` (or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else SAMPLE_PATH
    out.write_text(dumps(build_sample()), encoding="utf-8", newline="\n")
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
