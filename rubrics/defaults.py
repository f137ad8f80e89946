"""The rubrics every new organization starts with.

Pure data, no Django imports. Each entry of DEFAULT_RUBRICS is one role family's rubric:
the four categories of the growth matrix, their indicators, and one descriptor per
indicator and level. COMMUNITY_SCHOOL_COORDINATOR is the default rubric from the design;
INSTRUCTIONAL_COACH is a second family built on the same four categories.

Shape of each rubric:

    {"family": str,
     "categories": [{"key": one of CATEGORY_KEYS, "name": str, "description": str,
                     "indicators": [{"name": str,
                                     "descriptors": (novice, proficient, expert)}]}]}

Categories appear in CATEGORY_KEYS order; each descriptor tuple follows LEVELS order.
"""

LEVELS = [(1, "Novice"), (2, "Proficient"), (3, "Expert")]
CATEGORY_KEYS = ["coordinator", "site", "organization", "development"]

# The default rubric: from community-schools practice in the field.
COMMUNITY_SCHOOL_COORDINATOR = {
    "family": "Community school coordinator",
    "categories": [
        {
            "key": "coordinator",
            "name": "Coordinator",
            "description": (
                "What the coordinator brings to the role: how they build trust, communicate, "
                "organize the work, use data and learn from their own practice."
            ),
            "indicators": [
                {
                    "name": "Relationship building and trust",
                    "descriptors": (
                        (
                            "Knows the principal and a few staff by name and is building first "
                            "relationships; many families and partners do not yet know who the "
                            "coordinator is or what they do."
                        ),
                        (
                            "Has working relationships with the principal, most staff, key "
                            "partners and many families; people seek the coordinator out, and the "
                            "coordinator follows through on what was agreed."
                        ),
                        (
                            "Is a trusted broker across the school and community: brings together "
                            "staff, families and partners who would not otherwise meet, and is "
                            "asked to help with sensitive situations and to repair strained "
                            "relationships."
                        ),
                    ),
                },
                {
                    "name": "Communication with principals, teachers, specialists and families",
                    "descriptors": (
                        (
                            "Shares information when asked or when something goes wrong; messages "
                            "reach some audiences but miss others, and the coordinator is still "
                            "learning which channel works for whom."
                        ),
                        (
                            "Meets the principal regularly, keeps teachers and specialists "
                            "informed about services and referrals, and reaches families in their "
                            "home languages through more than one channel."
                        ),
                        (
                            "Tailors each message so that principals, teachers, specialists and "
                            "families act on it, and sets up routines (standing agendas, "
                            "newsletters, family meetings) that keep everyone informed without "
                            "the coordinator in the middle."
                        ),
                    ),
                },
                {
                    "name": "Organization and project management",
                    "descriptors": (
                        (
                            "Handles requests and events as they come; deadlines and follow-up "
                            "depend on reminders from others."
                        ),
                        (
                            "Plans the year's programmes and events with timelines, owners and "
                            "budgets, tracks partner agreements, and meets deadlines with few "
                            "reminders."
                        ),
                        (
                            "Runs several complex initiatives at once with systems others can "
                            "use; anticipates bottlenecks, delegates to staff, partners and "
                            "volunteers, and documents the work so it continues when the "
                            "coordinator is away."
                        ),
                    ),
                },
                {
                    "name": "Data tracking and reporting",
                    "descriptors": (
                        (
                            "Records attendance and participation when required, often after the "
                            "fact, and needs help pulling the numbers together for reports."
                        ),
                        (
                            "Keeps participation, referral and partner data current and accurate, "
                            "submits required reports on time, and uses results such as chronic "
                            "absence to adjust services."
                        ),
                        (
                            "Designs the site's data routines, links programme data to student "
                            "outcomes (attendance, behaviour, grades), and presents findings that "
                            "shape decisions by the principal, the leadership team and funders."
                        ),
                    ),
                },
                {
                    "name": "Reflection and growth mindset",
                    "descriptors": (
                        (
                            "Reflects on the work when prompted in supervision; accepts feedback "
                            "but is still learning to turn it into changed practice."
                        ),
                        (
                            "Regularly reviews what worked and what did not, asks the principal, "
                            "staff and families for feedback, and sets goals that show up in "
                            "changed practice."
                        ),
                        (
                            "Models reflective practice: names own mistakes openly, tries new "
                            "approaches deliberately and checks their effect, and helps "
                            "colleagues and teams learn from their work."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "site",
            "name": "School site",
            "description": (
                "The conditions at the school: how far its leaders and staff support, champion "
                "and build the community school strategy into the way the school runs."
            ),
            "indicators": [
                {
                    "name": "Principal support",
                    "descriptors": (
                        (
                            "The principal accepts the community school work but gives it little "
                            "time; meetings are irregular and the coordinator works largely alone."
                        ),
                        (
                            "The principal meets the coordinator regularly, includes them on the "
                            "school leadership team, and removes obstacles such as space, "
                            "schedules and access to data."
                        ),
                        (
                            "The principal treats the coordinator as a full member of the "
                            "leadership team, shares decisions on the whole-child agenda, and "
                            "expects staff to partner with the work."
                        ),
                    ),
                },
                {
                    "name": "Staff buy-in",
                    "descriptors": (
                        (
                            "A few staff make referrals or join activities; many see the "
                            "community school work as separate from teaching, or do not know "
                            "about it."
                        ),
                        (
                            "Most staff know the services available, make referrals, and work "
                            "with the coordinator and partners on student and family needs."
                        ),
                        (
                            "Staff treat the strategy as part of their own job: they propose "
                            "partnerships, co-lead family engagement, and build services into "
                            "classroom and grade-level planning."
                        ),
                    ),
                },
                {
                    "name": "Championing",
                    "descriptors": (
                        (
                            "School leaders rarely mention the community school strategy to "
                            "staff, families or the district."
                        ),
                        (
                            "School leaders speak about the strategy to staff, families and "
                            "visitors, and credit it for gains in attendance, engagement and "
                            "well-being."
                        ),
                        (
                            "School leaders champion the strategy beyond the school: they present "
                            "it to the district, host visits from other schools, and recruit new "
                            "partners and funders."
                        ),
                    ),
                },
                {
                    "name": "Advocacy",
                    "descriptors": (
                        (
                            "The school seldom speaks up for its students' and families' needs "
                            "beyond its own walls; requests to the district or partners come from "
                            "the coordinator alone."
                        ),
                        (
                            "School leaders, staff and family leaders advocate with the district, "
                            "the city and partners for the services and resources students and "
                            "families need."
                        ),
                        (
                            "Leaders, staff, families and students organize together to advocate "
                            "for policy and funding, and families hold leadership roles in that "
                            "advocacy."
                        ),
                    ),
                },
                {
                    "name": "Integration of the community school strategy in school plans",
                    "descriptors": (
                        (
                            "The strategy does not appear in the school improvement plan or "
                            "budget; services run alongside the school's priorities rather than "
                            "within them."
                        ),
                        (
                            "The school improvement plan names community school goals, services "
                            "and partners, and the coordinator helps set and review them with the "
                            "leadership team."
                        ),
                        (
                            "The strategy runs through the school's plans, budget, schedule and "
                            "staffing (shared needs assessment, common goals, braided funding), "
                            "so it would survive a change of principal or coordinator."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "organization",
            "name": "Organizational supports",
            "description": (
                "What the lead agency or district provides: a place in its wider work, "
                "supervision, resources and a clearly defined role."
            ),
            "indicators": [
                {
                    "name": "Role in grants and initiatives of the lead agency",
                    "descriptors": (
                        (
                            "The coordinator hears about the agency's grants and initiatives "
                            "after decisions are made and carries out the tasks assigned to the "
                            "site."
                        ),
                        (
                            "The coordinator knows the grants and initiatives that fund the site, "
                            "understands their requirements and deliverables, and contributes "
                            "site data and stories to reports and renewals."
                        ),
                        (
                            "The agency involves the coordinator in designing proposals and "
                            "initiatives; the coordinator helps write grants, represents the site "
                            "to funders, and shapes how initiatives roll out across sites."
                        ),
                    ),
                },
                {
                    "name": "Supervision",
                    "descriptors": (
                        (
                            "Supervision is irregular or focused on compliance; there is little "
                            "chance to discuss practice, challenges or growth with the supervisor."
                        ),
                        (
                            "The coordinator meets their supervisor at least monthly for planned "
                            "conversations about goals, challenges and this matrix, and gets "
                            "timely answers when problems arise."
                        ),
                        (
                            "Supervision is reflective and developmental: the supervisor coaches "
                            "the coordinator, advocates for them with the principal and the "
                            "agency, and connects them with peers and growth opportunities."
                        ),
                    ),
                },
                {
                    "name": "Resources",
                    "descriptors": (
                        (
                            "The coordinator lacks basics such as a workspace, a budget, "
                            "technology or access to student data, and spends time securing them."
                        ),
                        (
                            "The coordinator has a workspace, a programme budget, and the "
                            "technology and data access the role needs, and knows how to request "
                            "more."
                        ),
                        (
                            "The agency provides flexible funds, staffing support and data "
                            "systems, and helps the coordinator use them to draw partner and "
                            "community resources into the site."
                        ),
                    ),
                },
                {
                    "name": "Clarity of role",
                    "descriptors": (
                        (
                            "The role is loosely defined; the coordinator is often pulled into "
                            "tasks outside it (covering classes, lunch duty, front office) and "
                            "nothing written says what it covers."
                        ),
                        (
                            "A written role description, shared with the principal and staff, "
                            "says what the coordinator does and does not do, and the supervisor "
                            "helps resolve conflicting requests."
                        ),
                        (
                            "The agency and the principal agree the role in writing each year and "
                            "review it together; staff understand it, and the coordinator's time "
                            "goes to the strategy rather than to filling gaps."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "development",
            "name": "Development",
            "description": (
                "Growth suited to the coordinator's stage: mentoring received and given, "
                "professional learning, networks and leadership beyond the site."
            ),
            "indicators": [
                {
                    "name": "Mentoring received",
                    "descriptors": (
                        (
                            "Has no mentor yet, or meets one occasionally, mostly for practical "
                            "questions about the job."
                        ),
                        (
                            "Meets a mentor regularly with an agenda drawn from their growth "
                            "goals and this matrix, and applies what they discuss."
                        ),
                        (
                            "Seeks out mentors for different needs (a senior coordinator, a "
                            "principal, a leader outside education) and uses mentoring to prepare "
                            "for the next career stage."
                        ),
                    ),
                },
                {
                    "name": "Mentoring given",
                    "descriptors": (
                        "Shares tips and materials with new colleagues when asked.",
                        (
                            "Mentors a new coordinator or an intern through regular meetings, "
                            "site visits and feedback on their practice."
                        ),
                        (
                            "Mentors several colleagues, helps design the agency's onboarding or "
                            "mentoring programme, and supports other mentors."
                        ),
                    ),
                },
                {
                    "name": "Professional development",
                    "descriptors": (
                        (
                            "Attends required trainings; professional learning is chosen by "
                            "others and not yet tied to personal goals."
                        ),
                        (
                            "Chooses professional development tied to their growth goals (for "
                            "example family engagement, facilitation, data use) and applies what "
                            "they learn at the site."
                        ),
                        (
                            "Pursues advanced learning such as certificates, graduate study or "
                            "leadership programmes, and leads trainings for colleagues, partners "
                            "or school staff."
                        ),
                    ),
                },
                {
                    "name": "Networks",
                    "descriptors": (
                        (
                            "Knows colleagues within their own agency; has little contact yet "
                            "with local, regional, university or national networks."
                        ),
                        (
                            "Takes part in local and regional networks (coordinator meetings, "
                            "community coalitions) and draws on them for resources and ideas."
                        ),
                        (
                            "Is active in regional, university and national networks (research "
                            "partnerships, national community school conferences), bringing "
                            "practices home and sharing the site's experience."
                        ),
                    ),
                },
                {
                    "name": "Leadership beyond the site",
                    "descriptors": (
                        "Focuses on their own site and has not yet taken on roles beyond it.",
                        (
                            "Takes on agency or district roles beyond the site, such as a working "
                            "group, a pilot or a cross-site event."
                        ),
                        (
                            "Leads across sites and in the field: chairs committees, presents at "
                            "conferences, shapes agency or district policy, or leads a team of "
                            "coordinators."
                        ),
                    ),
                },
            ],
        },
    ],
}

# Same four categories, written for coaches of teachers.
INSTRUCTIONAL_COACH = {
    "family": "Instructional coach",
    "categories": [
        {
            "key": "coordinator",
            "name": "Coach",
            "description": (
                "What the coach brings to the role: how they coach teachers, build trust, use "
                "data and draw on instructional expertise."
            ),
            "indicators": [
                {
                    "name": "Coaching cycles",
                    "descriptors": (
                        (
                            "Supports teachers mostly through one-off visits, shared resources "
                            "and demonstration lessons on request; coaching cycles are rare or "
                            "left unfinished."
                        ),
                        (
                            "Runs complete coaching cycles (goal setting, planning, modelling or "
                            "observation, feedback, reflection) with a caseload of teachers each "
                            "semester."
                        ),
                        (
                            "Runs coaching cycles anchored in student-learning goals, adapts the "
                            "approach to each teacher, and can show change in teacher practice "
                            "and student work."
                        ),
                    ),
                },
                {
                    "name": "Relationships and trust with teachers",
                    "descriptors": (
                        (
                            "Is building rapport with teachers; some see coaching as evaluation "
                            "and keep their distance."
                        ),
                        (
                            "Teachers seek the coach out and share their struggles openly; the "
                            "coach keeps coaching conversations confidential and separate from "
                            "evaluation."
                        ),
                        (
                            "Is trusted across the staff, including reluctant teachers, who "
                            "invite the coach into their hardest lessons."
                        ),
                    ),
                },
                {
                    "name": "Data-driven instruction",
                    "descriptors": (
                        (
                            "Looks at assessment data when asked and needs help turning the "
                            "numbers into instructional next steps."
                        ),
                        (
                            "Helps teachers analyse formative assessments and student work to "
                            "plan reteaching and grouping, and tracks progress within each "
                            "coaching cycle."
                        ),
                        (
                            "Builds school-wide data routines (assessment calendars, data "
                            "meetings, protocols) that teachers lead themselves and that drive "
                            "instructional decisions."
                        ),
                    ),
                },
                {
                    "name": "Content and instructional expertise",
                    "descriptors": (
                        (
                            "Draws mainly on their own classroom experience in one subject or "
                            "grade band and is still learning the adopted curricula across grades."
                        ),
                        (
                            "Knows the adopted curricula, standards and research-based practices "
                            "for the grades served, and models lessons confidently."
                        ),
                        (
                            "Combines deep knowledge of curricula, pedagogy and adult learning so "
                            "that it shapes the school's instructional approach; teachers in "
                            "every subject seek their advice."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "site",
            "name": "School site",
            "description": (
                "The conditions at the school: how its principal, teachers and schedule make room "
                "for coaching and collaborative learning."
            ),
            "indicators": [
                {
                    "name": "Principal partnership on instructional priorities",
                    "descriptors": (
                        (
                            "The coach and principal meet rarely; coaching is not tied to the "
                            "school's instructional priorities and is sometimes confused with "
                            "evaluation."
                        ),
                        (
                            "The coach and principal meet regularly to align coaching with the "
                            "school's instructional priorities while keeping coaching separate "
                            "from evaluation."
                        ),
                        (
                            "The coach and principal set and review the instructional vision "
                            "together, plan professional learning jointly, and use walkthrough "
                            "data to decide where coaching goes."
                        ),
                    ),
                },
                {
                    "name": "Teacher buy-in",
                    "descriptors": (
                        (
                            "A few teachers take up coaching; many see it as remedial or as an "
                            "extra demand."
                        ),
                        (
                            "Most teachers take part in coaching cycles willingly and see them as "
                            "support."
                        ),
                        (
                            "Coaching is the norm for every teacher, including the most "
                            "experienced, who seek it out and open their classrooms to peers."
                        ),
                    ),
                },
                {
                    "name": "Professional learning communities",
                    "descriptors": (
                        (
                            "PLCs meet irregularly or spend their time on logistics; the coach "
                            "attends but rarely shapes the agenda."
                        ),
                        (
                            "PLCs meet on a set schedule and use protocols to examine student "
                            "work and plan instruction, with the coach facilitating or supporting."
                        ),
                        (
                            "Teachers lead PLCs themselves with shared protocols; the coach "
                            "builds facilitators' skills, and PLC work visibly changes "
                            "instruction."
                        ),
                    ),
                },
                {
                    "name": "Time and structures for coaching",
                    "descriptors": (
                        (
                            "The schedule leaves little time for coaching; the coach is often "
                            "pulled for substitute cover, testing or duties."
                        ),
                        (
                            "The schedule protects time for coaching cycles, planning and PLCs, "
                            "and most of the coach's time goes to coaching."
                        ),
                        (
                            "Coaching is built into the master schedule and calendar (common "
                            "planning, lab classrooms, release time) and stays protected all year."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "organization",
            "name": "Organizational supports",
            "description": (
                "What the district or agency provides: a place in its instructional initiatives, "
                "supervision, resources and a clearly defined role."
            ),
            "indicators": [
                {
                    "name": "Role in district and agency initiatives",
                    "descriptors": (
                        (
                            "The coach learns about new curricula, assessments and initiatives as "
                            "they roll out and carries them out at the site."
                        ),
                        (
                            "The coach understands the aims of current initiatives, is trained "
                            "before rollout, and feeds back what works at the site to the central "
                            "team."
                        ),
                        (
                            "The coach helps design and pilot initiatives, trains other coaches, "
                            "and shapes how they roll out across schools."
                        ),
                    ),
                },
                {
                    "name": "Supervision",
                    "descriptors": (
                        (
                            "Supervision is irregular or focused on compliance; there is little "
                            "chance to discuss coaching practice or growth."
                        ),
                        (
                            "The coach meets their supervisor at least monthly to review "
                            "caseload, goals and this matrix, and gets timely help with problems."
                        ),
                        (
                            "Supervision coaches the coach: the supervisor observes coaching, "
                            "gives feedback on it, advocates for the role with principals, and "
                            "opens growth opportunities."
                        ),
                    ),
                },
                {
                    "name": "Resources",
                    "descriptors": (
                        (
                            "The coach lacks basics such as curricular materials, access to "
                            "assessment data or a place to meet teachers."
                        ),
                        (
                            "The coach has the curricula, data systems, materials and meeting "
                            "space the role needs, and knows how to request more."
                        ),
                        (
                            "The organization provides flexible resources (release time for "
                            "teachers, lab classrooms, a materials budget) and helps the coach "
                            "use them strategically."
                        ),
                    ),
                },
                {
                    "name": "Clarity of role",
                    "descriptors": (
                        (
                            "The role is unclear to teachers and the principal; the coach is used "
                            "as a substitute, evaluator or administrator."
                        ),
                        (
                            "A written role description, shared with staff, separates coaching "
                            "from evaluation and says what the coach does and does not do."
                        ),
                        (
                            "The coach, principal and district review the role agreement each "
                            "year; staff understand it, and coaching time stays protected."
                        ),
                    ),
                },
            ],
        },
        {
            "key": "development",
            "name": "Development",
            "description": (
                "Growth suited to the coach's stage: mentoring, professional learning, networks "
                "and leadership beyond the school."
            ),
            "indicators": [
                {
                    "name": "Mentoring received and given",
                    "descriptors": (
                        (
                            "Has no coaching mentor yet, or meets one occasionally for practical "
                            "questions."
                        ),
                        (
                            "Meets a mentor coach regularly, is observed coaching and given "
                            "feedback, and mentors a new coach or teacher leader in turn."
                        ),
                        (
                            "Mentors several coaches, helps design the induction of new coaches, "
                            "and seeks mentors who prepare them for the next career stage."
                        ),
                    ),
                },
                {
                    "name": "Professional development",
                    "descriptors": (
                        (
                            "Attends required trainings; learning about coaching itself is "
                            "limited to the initial orientation."
                        ),
                        (
                            "Chooses professional development in coaching practice and content "
                            "tied to their growth goals, and applies it in coaching cycles."
                        ),
                        (
                            "Pursues advanced study or certification in coaching or leadership, "
                            "and leads professional learning for coaches and teachers."
                        ),
                    ),
                },
                {
                    "name": "Networks",
                    "descriptors": (
                        (
                            "Knows coaches in their own district; has little contact yet with "
                            "regional, university or national networks."
                        ),
                        (
                            "Takes part in regional coach networks or content associations and "
                            "brings back ideas and resources."
                        ),
                        (
                            "Is active in university partnerships and national networks, "
                            "presenting practice and bringing research into the district."
                        ),
                    ),
                },
                {
                    "name": "Leadership beyond the site",
                    "descriptors": (
                        "Focuses on their own school and has not yet taken on roles beyond it.",
                        (
                            "Takes on district roles beyond the school, such as curriculum "
                            "writing, a pilot or a cross-school PLC."
                        ),
                        (
                            "Leads across schools and in the field: leads coach teams, shapes "
                            "district instructional policy, or presents at conferences."
                        ),
                    ),
                },
            ],
        },
    ],
}

DEFAULT_RUBRICS = [COMMUNITY_SCHOOL_COORDINATOR, INSTRUCTIONAL_COACH]
