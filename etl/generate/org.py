"""The synthetic employer's fixed shape: departments, job families, titles, pay, places, names.

Everything here is constant; the simulation draws from it with the seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_NAME = "Example Corp"
COMPANY_DOMAIN = "corp.example.com"
PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")
"""Web-mail domains some people have their badges sent to (they match no roster e-mail)."""


@dataclass(frozen=True)
class Department:
    """A department, the one job family its staff belong to and how it behaves."""

    name: str
    code: str
    division: str
    family: str
    short: str
    """Prefix for leadership titles ("Engineering Manager")."""
    titles: tuple[str, str, str, str]
    """Staff titles by level 1..4."""
    base_salary: float
    """Level-1 annual salary in USD."""
    weight: float
    """Share of headcount."""
    attrition: float
    """Hazard multiplier (support and sales churn more than legal)."""
    badge_participation: float
    """Share of people who take optional courses at all."""
    locations: tuple[str, ...]
    team_names: tuple[str, ...]


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "Engineering",
        "ENG",
        "Technology",
        "Software Engineering",
        "Engineering",
        (
            "Software Engineer I",
            "Software Engineer II",
            "Senior Software Engineer",
            "Staff Software Engineer",
        ),
        92_000,
        0.20,
        0.9,
        0.75,
        ("San Francisco", "Austin", "Toronto", "Berlin", "Bangalore"),
        (
            "Platform",
            "Payments",
            "Mobile",
            "Infrastructure",
            "Identity",
            "Search",
            "Developer Tools",
            "Checkout",
            "Integrations",
            "Reliability",
        ),
    ),
    Department(
        "Data & Analytics",
        "DNA",
        "Technology",
        "Data Science",
        "Data",
        ("Data Analyst", "Data Scientist", "Senior Data Scientist", "Principal Data Scientist"),
        88_000,
        0.07,
        0.9,
        0.8,
        ("San Francisco", "New York", "London"),
        ("Analytics Engineering", "Experimentation", "Forecasting", "Insights", "Machine Learning"),
    ),
    Department(
        "Sales",
        "SAL",
        "Commercial",
        "Sales",
        "Sales",
        (
            "Sales Development Representative",
            "Account Executive",
            "Senior Account Executive",
            "Strategic Account Director",
        ),
        62_000,
        0.14,
        1.3,
        0.55,
        ("New York", "Chicago", "London", "Sydney", "Toronto"),
        (
            "Enterprise East",
            "Enterprise West",
            "Mid-Market",
            "EMEA",
            "APAC",
            "Renewals",
            "Channel Partners",
        ),
    ),
    Department(
        "Marketing",
        "MKT",
        "Commercial",
        "Marketing",
        "Marketing",
        (
            "Marketing Coordinator",
            "Marketing Specialist",
            "Senior Marketing Manager",
            "Marketing Director",
        ),
        60_000,
        0.06,
        1.0,
        0.6,
        ("New York", "London", "San Francisco"),
        ("Brand", "Demand Generation", "Product Marketing", "Content", "Events"),
    ),
    Department(
        "Finance",
        "FIN",
        "Corporate",
        "Finance",
        "Finance",
        ("Financial Analyst", "Senior Financial Analyst", "Finance Manager", "Finance Director"),
        70_000,
        0.06,
        0.8,
        0.65,
        ("New York", "Chicago", "Dublin"),
        ("FP&A", "Accounting", "Treasury", "Tax", "Procurement"),
    ),
    Department(
        "Operations",
        "OPS",
        "Operations",
        "Operations",
        "Operations",
        (
            "Operations Associate",
            "Operations Specialist",
            "Senior Operations Specialist",
            "Operations Program Manager",
        ),
        54_000,
        0.10,
        1.0,
        0.5,
        ("Chicago", "Austin", "Rotterdam", "Singapore"),
        ("Logistics", "Fulfilment", "Supply Planning", "Facilities", "Vendor Management"),
    ),
    Department(
        "Customer Support",
        "SUP",
        "Commercial",
        "Customer Support",
        "Support",
        (
            "Support Specialist I",
            "Support Specialist II",
            "Senior Support Specialist",
            "Support Escalation Engineer",
        ),
        44_000,
        0.15,
        1.5,
        0.6,
        ("Austin", "Dublin", "Manila", "Bangalore"),
        ("Tier 1", "Tier 2", "Escalations", "Onboarding", "Premium Support", "Knowledge Base"),
    ),
    Department(
        "Human Resources",
        "HRS",
        "Corporate",
        "Human Resources",
        "HR",
        ("HR Coordinator", "HR Business Partner", "Senior HR Business Partner", "HR Director"),
        58_000,
        0.04,
        0.9,
        0.7,
        ("New York", "Dublin", "Austin"),
        ("Talent Acquisition", "People Partners", "Total Rewards", "Learning"),
    ),
    Department(
        "Legal",
        "LEG",
        "Corporate",
        "Legal",
        "Legal",
        ("Paralegal", "Corporate Counsel", "Senior Corporate Counsel", "Associate General Counsel"),
        90_000,
        0.03,
        0.7,
        0.5,
        ("New York", "London"),
        ("Commercial Legal", "Privacy & Compliance", "Employment Legal"),
    ),
    Department(
        "Manufacturing",
        "MFG",
        "Operations",
        "Manufacturing",
        "Production",
        (
            "Production Technician",
            "Senior Production Technician",
            "Process Engineer",
            "Senior Process Engineer",
        ),
        47_000,
        0.15,
        1.1,
        0.45,
        ("Detroit", "Monterrey", "Wroclaw"),
        (
            "Assembly",
            "Machining",
            "Quality Assurance",
            "Maintenance",
            "Packaging",
            "Process Engineering",
        ),
    ),
)

EXECUTIVE_FAMILY = "Executive"
CEO_TITLE = "Chief Executive Officer"
LEVEL_PAY = (1.0, 1.25, 1.55, 1.9)
LEAD_PAY, MANAGER_PAY, HEAD_PAY, CEO_SALARY = 1.75, 2.2, 3.4, 420_000.0


@dataclass(frozen=True)
class Location:
    """An office, with what Credly's export says about its place."""

    city: str
    country: str
    state: str
    region: str
    sub_region: str


LOCATIONS: tuple[Location, ...] = (
    Location("New York", "United States", "New York", "Americas", "Northern America"),
    Location("San Francisco", "United States", "California", "Americas", "Northern America"),
    Location("Chicago", "United States", "Illinois", "Americas", "Northern America"),
    Location("Austin", "United States", "Texas", "Americas", "Northern America"),
    Location("Detroit", "United States", "Michigan", "Americas", "Northern America"),
    Location("Toronto", "Canada", "Ontario", "Americas", "Northern America"),
    Location("Monterrey", "Mexico", "Nuevo Leon", "Americas", "Latin America and the Caribbean"),
    Location("London", "United Kingdom", "England", "Europe", "Northern Europe"),
    Location("Dublin", "Ireland", "Leinster", "Europe", "Northern Europe"),
    Location("Berlin", "Germany", "Berlin", "Europe", "Western Europe"),
    Location("Rotterdam", "Netherlands", "South Holland", "Europe", "Western Europe"),
    Location("Wroclaw", "Poland", "Lower Silesia", "Europe", "Eastern Europe"),
    Location("Bangalore", "India", "Karnataka", "Asia", "Southern Asia"),
    Location("Singapore", "Singapore", "", "Asia", "South-eastern Asia"),
    Location("Manila", "Philippines", "Metro Manila", "Asia", "South-eastern Asia"),
    Location("Sydney", "Australia", "New South Wales", "Oceania", "Australia and New Zealand"),
)
LOCATION_INDEX: dict[str, int] = {loc.city: i for i, loc in enumerate(LOCATIONS)}
HQ = "New York"

VOLUNTARY_REASONS = (
    "Resignation - Better Opportunity",
    "Resignation - Compensation",
    "Resignation - Career Change",
    "Resignation - Relocation",
    "Resignation - Personal Reasons",
    "Retirement",
)
VOLUNTARY_REASON_P = (0.38, 0.2, 0.14, 0.1, 0.12, 0.06)
INVOLUNTARY_REASONS = (
    "Termination - Performance",
    "Layoff - Restructuring",
    "Termination - Misconduct",
    "End of Fixed-Term Contract",
)
INVOLUNTARY_REASON_P = (0.45, 0.3, 0.1, 0.15)
LAYOFF = 1  # index of "Layoff - Restructuring" in INVOLUNTARY_REASONS

PERFORMANCE_RATINGS = (
    "1 - Does Not Meet",
    "2 - Partially Meets",
    "3 - Meets Expectations",
    "4 - Exceeds Expectations",
    "5 - Exceptional",
)
PERFORMANCE_P = (0.04, 0.12, 0.55, 0.22, 0.07)

# Display names and their ASCII spellings for e-mail addresses.
FIRST_NAMES: tuple[str, ...] = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Steven",
    "Emily",
    "Paul",
    "Michelle",
    "Andrew",
    "Amanda",
    "Joshua",
    "Melissa",
    "Kevin",
    "Deborah",
    "Brian",
    "Stephanie",
    "George",
    "Rebecca",
    "Timothy",
    "Laura",
    "Ronald",
    "Helen",
    "Jason",
    "Amy",
    "Ryan",
    "Anna",
    "Jacob",
    "Olivia",
    "Gary",
    "Emma",
    "Nicholas",
    "Sophia",
    "Eric",
    "Grace",
    "Jonathan",
    "Chloe",
    "Priya",
    "Arjun",
    "Ananya",
    "Rahul",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Seo-yeon",
    "Mohammed",
    "Fatima",
    "Omar",
    "Aisha",
    "Carlos",
    "Maria",
    "Luis",
    "Sofia",
    "Diego",
    "Valentina",
    "Lukas",
    "Hannah",
    "Jonas",
    "Lea",
    "Mateusz",
    "Zofia",
    "Pieter",
    "Femke",
    "Liam",
    "Aoife",
    "Conor",
    "Siobhan",
    "Kwame",
    "Ama",
    "Chinedu",
    "Ngozi",
    "Jose",
    "Zoe",
    "Noah",
    "Ava",
    "Ethan",
    "Mia",
    "Lucas",
    "Isabella",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Patel",
    "Shah",
    "Kumar",
    "Singh",
    "Gupta",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Tanaka",
    "Sato",
    "Suzuki",
    "Kim",
    "Park",
    "Choi",
    "Khan",
    "Ali",
    "Hassan",
    "Ahmed",
    "Silva",
    "Santos",
    "Oliveira",
    "Costa",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Kowalski",
    "Nowak",
    "Wisniewski",
    "de Vries",
    "van Dijk",
    "Bakker",
    "Jansen",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Byrne",
    "Ryan",
    "Walsh",
    "Mensah",
    "Owusu",
    "Okafor",
    "Eze",
    "Cohen",
    "Levi",
    "Rossi",
    "Russo",
    "Ferrari",
    "Dubois",
    "Moreau",
    "Laurent",
    "Novak",
    "Horvat",
    "Andersson",
    "Johansson",
    "Nielsen",
    "Hansen",
)


def email_local(name: str) -> str:
    """The ASCII, lower-case form of a name for e-mail addresses ("O'Brien" -> "obrien")."""
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
