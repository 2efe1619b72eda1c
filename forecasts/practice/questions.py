"""The practice questions: invented places and numbers, with fixed outcomes."""

from dataclasses import dataclass

SYNTHETIC_NOTE = (
    "*This is a synthetic practice question.* The place, the people and the "
    "numbers in it are invented, and so are the forecasters who answered it: it "
    "exists so that a fresh install has a history to look at. "
    "`python manage.py remove_demo` removes every practice question."
)


@dataclass(frozen=True)
class PracticeQuestion:
    """One practice question; days count back from the day the set is loaded."""

    slug: str
    title: str
    background: str
    criteria: str
    outcome: int
    note: str
    opened_days_ago: int
    closed_days_ago: int
    options: tuple[str, ...] = ("No", "Yes")
    # Where the evidence starts and ends: log-odds of Yes, or the expected
    # option index. By default it ends pointing firmly at the outcome; a
    # surprise ends elsewhere, so overconfidence costs something.
    prior: float = 0.0
    evidence_at_close: float | None = None

    @property
    def is_binary(self) -> bool:
        return self.options == ("No", "Yes")

    @property
    def body(self) -> str:
        return f"{self.background}\n\n{SYNTHETIC_NOTE}"


QUESTIONS = (
    PracticeQuestion(
        slug="practice-northvale-reservoir",
        title="Practice: Will the Northvale reservoir be over 80% full at its "
        "spring inspection?",
        background="Northvale's reservoir was 64% full in January after a dry "
        "autumn; the spring inspection reads the gauge once.",
        criteria="Resolves Yes if the spring inspection reports the reservoir "
        "more than 80% full.",
        outcome=1,
        note="The inspection read 84%.",
        opened_days_ago=200,
        closed_days_ago=150,
        prior=-0.6,
    ),
    PracticeQuestion(
        slug="practice-harbor-line-tram",
        title="Practice: Will the Harbor Line tram carry passengers before its "
        "scheduled opening day?",
        background="The Harbor Line's contractor says testing is ahead of "
        "schedule; the city has never opened a line early.",
        criteria="Resolves Yes if a passenger service runs on the Harbor Line "
        "before the scheduled opening day.",
        outcome=0,
        note="The line opened on its scheduled day, not before.",
        opened_days_ago=180,
        closed_days_ago=120,
        prior=0.4,
    ),
    PracticeQuestion(
        slug="practice-larkspur-spring-title",
        title="Practice: Will Larkspur Books sell 10,000 copies of its spring "
        "title by the end of the quarter?",
        background="Larkspur's last three spring titles sold 6,000, 9,500 and "
        "14,000 copies in their first quarter.",
        criteria="Resolves Yes if Larkspur's quarterly report shows at least "
        "10,000 copies sold.",
        outcome=1,
        note="The quarterly report showed 11,200 copies.",
        opened_days_ago=150,
        closed_days_ago=100,
        prior=0.2,
    ),
    PracticeQuestion(
        slug="practice-meridian-chess-rating",
        title="Practice: Will the Meridian chess club's average rating pass "
        "1800 this season?",
        background="The club averaged 1740 last season and has recruited four "
        "new juniors.",
        criteria="Resolves Yes if the club's published season-end average "
        "rating is above 1800.",
        outcome=0,
        note="The season-end average was 1771, after two juniors left mid-season.",
        opened_days_ago=120,
        closed_days_ago=75,
        prior=-0.2,
        evidence_at_close=0.9,
    ),
    PracticeQuestion(
        slug="practice-eastport-named-storms",
        title="Practice: How many storms will the Eastport weather office name "
        "this season?",
        background="The Eastport office named 4, 7 and 5 storms in the last "
        "three seasons.",
        criteria="Resolves to the bucket holding the number of storms the "
        "office names between the season's first and last day.",
        options=("0-2", "3-5", "6-8", "9 or more"),
        outcome=2,
        note="The office named 7 storms.",
        opened_days_ago=100,
        closed_days_ago=45,
        prior=1.4,
    ),
    PracticeQuestion(
        slug="practice-aster-valley-referendum",
        title="Practice: Will the Aster Valley park referendum pass?",
        background="Aster Valley votes on turning the old rail yard into a "
        "park; two early polls disagree.",
        criteria="Resolves Yes if the official count shows more Yes than No votes.",
        outcome=1,
        note="The referendum passed with 56% Yes.",
        opened_days_ago=75,
        closed_days_ago=20,
        prior=0.0,
    ),
)
