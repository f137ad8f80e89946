"""The recommended supports every new organization starts with; the org admin edits them.

Pure data: (category key, level the support suits, kind, title, description, network scope,
hours). A support "at level 1" is for people whose category is Novice, and so on.
"""

DEFAULT_CATALOGUE = [
    # Coordinator
    (
        "coordinator",
        1,
        "mentoring",
        "Peer mentor from a Senior Coordinator",
        "Fortnightly conversations with an experienced coordinator about relationships, "
        "communication and organizing the work.",
        "",
        None,
    ),
    (
        "coordinator",
        1,
        "pd",
        "Community school coordination fundamentals",
        "A course on the coordinator role: partnerships, needs assessment, results-based planning.",
        "",
        12,
    ),
    (
        "coordinator",
        2,
        "pd",
        "Data for results: tracking and reporting",
        "Workshop series on building simple data routines and presenting them to principals "
        "and funders.",
        "",
        8,
    ),
    (
        "coordinator",
        2,
        "network",
        "Regional coordinators' practice group",
        "Monthly peer group to share tools and work through problems of practice.",
        "regional",
        None,
    ),
    # School site
    (
        "site",
        1,
        "pd",
        "Working with your principal",
        "Session on building principal support: shared goals, regular check-ins and a seat on "
        "the leadership team.",
        "",
        3,
    ),
    (
        "site",
        1,
        "network",
        "Site leadership team shadowing",
        "Visit a school where the community school strategy is in the school plan and meet its "
        "leadership team.",
        "local",
        None,
    ),
    (
        "site",
        2,
        "pd",
        "Integrating the strategy in school plans",
        "Workshop with principals and coordinators on writing community school work into the "
        "school improvement plan.",
        "",
        6,
    ),
    # Organizational supports
    (
        "organization",
        1,
        "mentoring",
        "Supervision check-in with the program director",
        "Monthly supervision focused on role clarity: what the role does and does not cover.",
        "",
        None,
    ),
    (
        "organization",
        1,
        "pd",
        "The lead agency's grants and initiatives",
        "Orientation to the agency's grants, reporting duties and where the coordinator fits.",
        "",
        2,
    ),
    (
        "organization",
        2,
        "network",
        "Agency initiative working group",
        "Join a working group shaping one of the agency's initiatives.",
        "local",
        None,
    ),
    # Development
    (
        "development",
        1,
        "mentoring",
        "New-coordinator mentoring",
        "A mentor for the first two years: goals, this matrix, and what the next stage asks for.",
        "",
        None,
    ),
    (
        "development",
        1,
        "network",
        "Local community schools network",
        "Meet coordinators from nearby districts each quarter.",
        "local",
        None,
    ),
    (
        "development",
        2,
        "network",
        "University partnership seminar",
        "Seminar with a university partner on research and evaluation of community schools.",
        "university",
        None,
    ),
    (
        "development",
        2,
        "pd",
        "Leadership beyond the site",
        "Course on leading cross-site projects and representing the agency.",
        "",
        16,
    ),
    (
        "development",
        3,
        "network",
        "National community schools forum",
        "Present your site's work at the national forum and join its practitioner network.",
        "national",
        None,
    ),
]
