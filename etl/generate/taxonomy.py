"""Skills from real taxonomies and the badge catalogue that teaches them.

Skill ids are O*NET content-model element ids (``2.B.3.e`` = Programming) with the names
O*NET publishes, plus a few employer-own skills (framework ``Skillboard``) for things O*NET
has no element for (cloud, SQL, privacy, safety, employment law). ESCO URIs are left out on
purpose: an invented ESCO concept id would look real and be wrong.

The badge catalogue is constant (it does not depend on the seed): three issuers, one per
award format, each offering courses aligned to those skills. Credly template ids are UUID5s of
the badge name so they are stable across runs and seeds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

Format = Literal["ob2", "ob3", "credly"]
FORMATS: tuple[Format, ...] = ("ob2", "ob3", "credly")

ONET_URL = "https://www.onetonline.org/find/descriptor/result/"
OWN_SKILLS_URL = "https://skills.corp.example.com/skills/"


@dataclass(frozen=True)
class Skill:
    """One skill of a published framework (or the employer's own)."""

    skill_id: str
    name: str
    framework: Literal["O*NET", "Skillboard"]
    description: str

    @property
    def url(self) -> str:
        """The skill's public page (O*NET descriptor page, or the employer's skills site)."""
        if self.framework == "O*NET":
            return ONET_URL + self.skill_id
        return OWN_SKILLS_URL + self.skill_id


def _onet(element_id: str, name: str, description: str) -> Skill:
    return Skill(element_id, name, "O*NET", description)


def _own(skill_id: str, name: str, description: str) -> Skill:
    return Skill(skill_id, name, "Skillboard", description)


SKILLS: tuple[Skill, ...] = (
    _onet(
        "2.A.1.a",
        "Reading Comprehension",
        "Understanding written sentences and paragraphs in work-related documents.",
    ),
    _onet("2.A.1.b", "Active Listening", "Giving full attention to what other people are saying."),
    _onet(
        "2.A.1.c",
        "Writing",
        "Communicating effectively in writing as appropriate for the needs of the audience.",
    ),
    _onet("2.A.1.d", "Speaking", "Talking to others to convey information effectively."),
    _onet("2.A.1.e", "Mathematics", "Using mathematics to solve problems."),
    _onet("2.A.1.f", "Science", "Using scientific rules and methods to solve problems."),
    _onet(
        "2.A.2.a",
        "Critical Thinking",
        "Using logic and reasoning to identify strengths and weaknesses of approaches.",
    ),
    _onet(
        "2.A.2.b",
        "Active Learning",
        "Understanding the implications of new information for problem-solving.",
    ),
    _onet(
        "2.A.2.c",
        "Learning Strategies",
        "Selecting and using training methods appropriate for the situation.",
    ),
    _onet(
        "2.A.2.d",
        "Monitoring",
        "Monitoring/assessing performance of yourself, others, or organizations.",
    ),
    _onet("2.B.1.a", "Social Perceptiveness", "Being aware of others' reactions."),
    _onet("2.B.1.b", "Coordination", "Adjusting actions in relation to others' actions."),
    _onet("2.B.1.c", "Persuasion", "Persuading others to change their minds or behavior."),
    _onet(
        "2.B.1.d", "Negotiation", "Bringing others together and trying to reconcile differences."
    ),
    _onet("2.B.1.e", "Instructing", "Teaching others how to do something."),
    _onet("2.B.1.f", "Service Orientation", "Actively looking for ways to help people."),
    _onet(
        "2.B.2.i",
        "Complex Problem Solving",
        "Identifying complex problems and reviewing related information to develop solutions.",
    ),
    _onet(
        "2.B.3.a",
        "Operations Analysis",
        "Analyzing needs and product requirements to create a design.",
    ),
    _onet(
        "2.B.3.b",
        "Technology Design",
        "Generating or adapting equipment and technology to serve user needs.",
    ),
    _onet("2.B.3.e", "Programming", "Writing computer programs for various purposes."),
    _onet(
        "2.B.4.e",
        "Judgment and Decision Making",
        "Considering the relative costs and benefits of potential actions.",
    ),
    _onet(
        "2.B.4.g",
        "Systems Analysis",
        "Determining how a system should work and how changes will affect outcomes.",
    ),
    _onet("2.B.5.a", "Time Management", "Managing one's own time and the time of others."),
    _onet(
        "2.B.5.b",
        "Management of Financial Resources",
        "Determining how money will be spent to get the work done.",
    ),
    _onet(
        "2.B.5.d",
        "Management of Personnel Resources",
        "Motivating, developing, and directing people as they work.",
    ),
    _own(
        "SB-CLOUD",
        "Cloud Computing Fundamentals",
        "Deploying and operating workloads on public cloud platforms.",
    ),
    _own("SB-SQL", "SQL", "Querying and shaping relational data with SQL."),
    _own(
        "SB-PRIVACY",
        "Data Protection and Privacy",
        "Handling personal data lawfully (GDPR, CCPA) in daily work.",
    ),
    _own("SB-SAFETY", "Workplace Safety", "Working safely on the shop floor and in warehouses."),
    _own("SB-EMPLAW", "Employment Law", "Applying employment law in hiring, pay and dismissal."),
)
SKILL_BY_ID: dict[str, Skill] = {s.skill_id: s for s in SKILLS}


@dataclass(frozen=True)
class Issuer:
    """An organisation that issues badges in one format."""

    format: Format
    issuer_id: str
    name: str
    url: str
    email: str


ISSUERS: dict[Format, Issuer] = {
    "ob2": Issuer(
        "ob2",
        "https://badges.example-university.edu/issuers/continuing-education",
        "Example University Continuing Education",
        "https://badges.example-university.edu",
        "badges@example-university.edu",
    ),
    "ob3": Issuer(
        "ob3",
        "https://credentials.example-academy.org/issuers/1",
        "Example Academy of Professional Skills",
        "https://credentials.example-academy.org",
        "credentials@example-academy.org",
    ),
    "credly": Issuer(
        "credly",
        "credly:organization:corp-learning",
        "Example Corp Learning & Development",
        "https://www.credly.com/organizations/example-corp",
        "learning@corp.example.com",
    ),
}

_CREDLY_NAMESPACE = uuid.UUID("6f0d6c1e-3a53-4d56-9d2e-51a2f0e0b7c4")


@dataclass(frozen=True)
class BadgeClass:
    """A badge one issuer offers, with the skills it evidences."""

    slug: str
    name: str
    format: Format
    skills: tuple[str, ...]
    """Skill ids; for OB 2.0 / 3.0 written as alignments, for Credly only in ``skills_map.csv``."""
    families: tuple[str, ...]
    """Job families the course is aimed at; ``("*",)`` = everybody."""
    validity_months: int | None = None
    description: str = ""

    @property
    def class_id(self) -> str:
        """The id the source gives the class: BadgeClass URL, Achievement URL, template UUID."""
        if self.format == "ob2":
            return f"https://badges.example-university.edu/badgeclasses/{self.slug}"
        if self.format == "ob3":
            return f"https://credentials.example-academy.org/achievements/{self.slug}"
        return str(uuid.uuid5(_CREDLY_NAMESPACE, self.name))

    @property
    def criteria(self) -> str:
        """What an earner had to do."""
        return f"Completed the {self.name} course and passed its assessed assignment."


ALL = ("*",)
LEADERS = ("Leadership",)

BADGE_CLASSES: tuple[BadgeClass, ...] = (
    # Open Badges 2.0: the university's continuing-education programme.
    BadgeClass(
        "python-101",
        "Python 101",
        "ob2",
        ("2.B.3.e",),
        ("Software Engineering", "Data Science"),
        description="Introductory Python programming.",
    ),
    BadgeClass(
        "data-analysis-fundamentals",
        "Data Analysis Fundamentals",
        "ob2",
        ("2.A.1.e", "2.B.4.g"),
        ("Data Science", "Finance", "Marketing"),
        description="Descriptive statistics, spreadsheets and charts for analysts.",
    ),
    BadgeClass(
        "business-writing",
        "Business Writing",
        "ob2",
        ("2.A.1.c",),
        ("Marketing", "Legal", "Human Resources"),
        description="Clear reports, e-mails and proposals.",
    ),
    BadgeClass(
        "negotiation-skills",
        "Negotiation Skills",
        "ob2",
        ("2.B.1.d",),
        ("Sales", "Legal"),
        description="Principled negotiation.",
    ),
    BadgeClass(
        "financial-management",
        "Financial Management",
        "ob2",
        ("2.B.5.b",),
        ("Finance",),
        validity_months=36,
        description="Budgets, forecasts and controls.",
    ),
    BadgeClass(
        "critical-thinking",
        "Critical Thinking",
        "ob2",
        ("2.A.2.a",),
        ALL,
        description="Reasoning about evidence and arguments.",
    ),
    BadgeClass(
        "people-leadership",
        "People Leadership",
        "ob2",
        ("2.B.5.d", "2.B.1.e"),
        LEADERS,
        description="Leading, coaching and developing a team.",
    ),
    BadgeClass(
        "customer-service-excellence",
        "Customer Service Excellence",
        "ob2",
        ("2.B.1.f", "2.A.1.b"),
        ("Customer Support", "Sales"),
        validity_months=24,
        description="Handling customer requests and complaints well.",
    ),
    BadgeClass(
        "lean-operations",
        "Lean Operations",
        "ob2",
        ("2.B.3.a",),
        ("Operations", "Manufacturing"),
        description="Lean and continuous improvement.",
    ),
    BadgeClass(
        "statistics-for-decisions",
        "Statistics for Decisions",
        "ob2",
        ("2.A.1.e", "2.B.4.e"),
        ("Data Science", "Finance"),
        description="Inference and uncertainty for decision makers.",
    ),
    # Open Badges 3.0: the academy's achievements.
    BadgeClass(
        "secure-software-design",
        "Secure Software Design",
        "ob3",
        ("2.B.3.b", "2.B.3.e"),
        ("Software Engineering",),
        validity_months=24,
        description="Threat modelling and secure coding.",
    ),
    BadgeClass(
        "systems-thinking",
        "Systems Thinking",
        "ob3",
        ("2.B.4.g",),
        ("Software Engineering", "Data Science", "Operations"),
        description="Modelling how changes propagate through systems.",
    ),
    BadgeClass(
        "complex-problem-solving",
        "Complex Problem Solving",
        "ob3",
        ("2.B.2.i",),
        ALL,
        description="Structured problem solving.",
    ),
    BadgeClass(
        "active-listening",
        "Active Listening",
        "ob3",
        ("2.A.1.b", "2.B.1.a"),
        ("Customer Support", "Sales", "Human Resources"),
        description="Listening techniques for service and sales conversations.",
    ),
    BadgeClass(
        "presentation-skills",
        "Presentation Skills",
        "ob3",
        ("2.A.1.d",),
        ("Sales", "Marketing"),
        description="Presenting with confidence.",
    ),
    BadgeClass(
        "persuasive-communication",
        "Persuasive Communication",
        "ob3",
        ("2.B.1.c",),
        ("Sales", "Marketing"),
        description="Influencing with evidence and story.",
    ),
    BadgeClass(
        "coaching-and-instruction",
        "Coaching and Instruction",
        "ob3",
        ("2.B.1.e",),
        ("Human Resources", "Leadership"),
        description="Teaching adults at work.",
    ),
    BadgeClass(
        "time-management",
        "Time Management",
        "ob3",
        ("2.B.5.a",),
        ALL,
        description="Prioritising and planning one's work.",
    ),
    BadgeClass(
        "quality-monitoring",
        "Quality Monitoring",
        "ob3",
        ("2.A.2.d",),
        ("Manufacturing", "Operations"),
        validity_months=24,
        description="Monitoring processes and output quality.",
    ),
    BadgeClass(
        "legal-research",
        "Legal Research and Analysis",
        "ob3",
        ("2.A.1.a",),
        ("Legal",),
        description="Reading and analysing statutes, contracts and case law.",
    ),
    BadgeClass(
        "machine-learning-foundations",
        "Machine Learning Foundations",
        "ob3",
        ("2.A.1.f", "2.B.3.e"),
        ("Data Science",),
        description="Supervised learning, evaluation and deployment basics.",
    ),
    BadgeClass(
        "sql-for-analysts",
        "SQL for Analysts",
        "ob3",
        ("SB-SQL",),
        ("Data Science", "Finance"),
        description="Querying data with SQL.",
    ),
    # Credly: templates of the employer's own academy (skills come from skills_map.csv).
    BadgeClass(
        "cloud-practitioner",
        "Cloud Practitioner Foundations",
        "credly",
        ("SB-CLOUD",),
        ("Software Engineering", "Data Science"),
        validity_months=36,
    ),
    BadgeClass(
        "agile-team-member",
        "Agile Team Member",
        "credly",
        ("2.B.1.b",),
        ("Software Engineering", "Marketing", "Operations"),
    ),
    BadgeClass(
        "data-privacy-essentials",
        "Data Privacy Essentials",
        "credly",
        ("SB-PRIVACY",),
        ALL,
        validity_months=24,
    ),
    BadgeClass(
        "workplace-safety",
        "Workplace Safety Certified",
        "credly",
        ("SB-SAFETY",),
        ("Manufacturing", "Operations"),
        validity_months=12,
    ),
    BadgeClass(
        "sales-methodology",
        "Sales Methodology Practitioner",
        "credly",
        ("2.B.1.c", "2.B.1.d"),
        ("Sales",),
    ),
    BadgeClass("learning-agility", "Learning Agility", "credly", ("2.A.2.b", "2.A.2.c"), ALL),
    BadgeClass(
        "project-coordination",
        "Project Coordination Professional",
        "credly",
        ("2.B.1.b", "2.B.5.a"),
        ("Operations", "Marketing", "Software Engineering"),
    ),
    BadgeClass(
        "decision-making",
        "Decision Making Under Uncertainty",
        "credly",
        ("2.B.4.e",),
        (*LEADERS, "Finance"),
    ),
    BadgeClass(
        "employment-law",
        "Employment Law Fundamentals",
        "credly",
        ("SB-EMPLAW",),
        ("Human Resources", "Legal"),
        validity_months=24,
    ),
    BadgeClass(
        "service-empathy",
        "Empathy in Customer Service",
        "credly",
        ("2.B.1.a",),
        ("Customer Support",),
    ),
)
BADGE_BY_SLUG: dict[str, BadgeClass] = {b.slug: b for b in BADGE_CLASSES}

# The badge each job family is expected to hold (a compliance or onboarding course): most
# people earn it soon after joining and renew it when it expires, so these skills reach
# their targets in some families and miss them in others.
CORE_BADGE: dict[str, tuple[str, float]] = {
    "Software Engineering": ("secure-software-design", 0.85),
    "Data Science": ("data-privacy-essentials", 0.9),
    "Sales": ("sales-methodology", 0.7),
    "Marketing": ("data-privacy-essentials", 0.6),
    "Finance": ("financial-management", 0.8),
    "Operations": ("workplace-safety", 0.9),
    "Customer Support": ("customer-service-excellence", 0.75),
    "Human Resources": ("employment-law", 0.85),
    "Legal": ("data-privacy-essentials", 0.95),
    "Manufacturing": ("workplace-safety", 0.92),
    "Executive": ("people-leadership", 1.0),
}

# Skill levels the mapping file gives some badges (1 = foundation, 2 = practitioner).
BADGE_SKILL_LEVEL: dict[tuple[str, str], int] = {
    ("python-101", "2.B.3.e"): 1,
    ("secure-software-design", "2.B.3.e"): 2,
    ("machine-learning-foundations", "2.B.3.e"): 2,
    ("data-analysis-fundamentals", "2.A.1.e"): 1,
    ("statistics-for-decisions", "2.A.1.e"): 2,
}
