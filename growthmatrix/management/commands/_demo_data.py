"""The demo organization's invented names, schools, words and stories (plain data)."""

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Daniel",
    "Lupe",
    "Kevin",
    "Grace",
    "Marcus",
    "Sofia",
    "Tyrone",
    "Mei",
    "Carlos",
    "Hannah",
    "Omar",
    "Rosa",
    "Jamal",
    "Elena",
    "Victor",
    "Keisha",
    "Tomás",
    "Priya",
    "Andre",
    "Naomi",
    "Luis",
    "Fatima",
    "Brian",
    "Yesenia",
    "Samuel",
    "Imani",
    "Diego",
]
LAST_NAMES = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Edwards",
    "Fernandez",
    "Garcia",
    "Harris",
    "Ibrahim",
    "Johnson",
    "Kim",
    "Lopez",
    "Martinez",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quintero",
    "Robinson",
    "Singh",
    "Thompson",
    "Usman",
    "Vargas",
    "Washington",
    "Xiong",
    "Young",
    "Zamora",
]
SCHOOL_NAMES = [
    ("Cesar Chavez Elementary", "elementary", "urban"),
    ("Lincoln Middle School", "middle", "urban"),
    ("Roosevelt High School", "high", "urban"),
    ("Maple Grove Elementary", "elementary", "suburban"),
    ("Oak Hills Middle School", "middle", "suburban"),
    ("Westview High School", "high", "suburban"),
    ("Pine Valley Elementary", "elementary", "rural"),
    ("Cedar Creek K-8", "k8", "rural"),
    ("Harbor View High School", "high", "rural"),
    ("Sunrise Elementary", "elementary", "urban"),
    ("Mission Middle School", "middle", "urban"),
    ("Riverbend Community School", "other", "suburban"),
]
TEAM_NAMES = ["East Bay", "Central", "Valley"]

# Category levels (coordinator, site, organization, development) per demo coordinator, by cycle
# from oldest to newest. The first few show each kind of gap on the dashboard.
STORIES = [
    ("growing", [(1, 1, 1, 1), (2, 1, 2, 1), (2, 2, 2, 2), (2, 2, 2, 2), (3, 2, 2, 2)]),
    ("strong coordinator at a weak site", [(2, 1, 2, 2), (3, 1, 2, 2), (3, 1, 2, 3), (3, 1, 2, 3)]),
    ("stalled", [(2, 2, 2, 2), (2, 2, 2, 2), (2, 2, 2, 2), (2, 2, 2, 1)]),
    ("self and supervisor disagree", [(1, 2, 2, 1), (2, 2, 2, 2), (2, 2, 2, 2)]),
    ("support gap", [(2, 2, 1, 2), (3, 2, 1, 2), (3, 3, 1, 2)]),
    ("development gap", [(1, 1, 1, 1), (2, 2, 2, 1), (2, 2, 2, 1)]),
    ("strong site, new coordinator", [(1, 3, 2, 1), (1, 3, 2, 2)]),
    ("ready for promotion", [(2, 2, 2, 2), (3, 2, 2, 2), (3, 3, 2, 3), (3, 3, 3, 3)]),
]
# Years in the role of each story's coordinator.
STORY_YEARS = [3, 5, 4, 2, 3, 2, 1, 6]

# What coordinators and directors write in the workflow.
EVIDENCE = [
    "Monthly check-ins with the principal; notes shared with the leadership team.",
    "Family night attendance doubled from fall to spring (sign-in sheets).",
    "Partner tracking spreadsheet updated weekly and shared with the site team.",
    "Led the attendance team's tiered interventions this semester.",
    "Presented the needs assessment to the school site council.",
    "Attended the regional community schools convening and shared notes.",
]
SUPERVISOR_NOTE = "Agreed; see coaching notes."
COACHING_NOTES = "Talked through the site-level data and next semester's priorities."
NEXT_STEPS = "Meet the principal monthly; join the regional network."
RETURN_NOTE = "Please add evidence for the school site indicators."

# Goals agreed with the first story coordinators: profile index, category, target level,
# days until due, level of the catalogue entry that supports it.
GOAL_PLANS = [
    (0, "coordinator", 3, 25, 2),
    (1, "site", 2, 60, 1),
    (2, "development", 3, -10, 2),
    (5, "development", 2, 90, 1),
]
