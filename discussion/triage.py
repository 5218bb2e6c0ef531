"""Which reader questions and comments a pharmacist must see before they are published, and why.

``triage(text)`` reads a reader's text and returns what it is held for, each with the words that gave it away:

* ``emergency``: it reads as an emergency now (an overdose or too many tablets taken, a child who swallowed
  medicine, can't breathe, a swollen face, lips, tongue or throat, a seizure, someone unconscious or who won't
  wake, thoughts of self-harm or suicide);
* ``side_effect``: the reader reports something they (or someone they look after) went through on a medicine;
* ``dose``, ``stopping``, ``pregnancy``, ``mixing``: the reader asks about a dose, about stopping a medicine,
  about pregnancy or breastfeeding, or about taking it with other medicines or alcohol.

One function per rule (``reads_as_emergency``, ``reports_side_effect``, ``asks_about_dose``, ...). The rules work
on word families, not on examples: the text is cut into sentences and clauses, lower-cased, its apostrophes and
punctuation dropped, and words a letter away from the words the rules look for (``pregant``, ``alchohol``,
``siezure``) read as those words. A word the reader negates ("no side effects so far", "I'm not pregnant") does not
count, except in the rules where a miss would be worse than a false alarm: thoughts of self-harm always count,
and so does an overdose unless the reader says outright that they did not take too many. "Can it cause
seizures?" asks about a risk; it is not an emergency. Plain Python: no network, no third-party service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from discussion.models import Concern
from discussion.reading import Sentence, _re, first_match, negated, sentences, spelled, words  # noqa: F401
from discussion.symptoms import SYMPTOM


@dataclass(frozen=True)
class Finding:
    concern: str
    reason: str  # the reader's words that gave it away, as read


# ---------------------------------------------------------------------------
# The rules

# Emergencies ----------------------------------------------------------------
# What names a medicine: the kinds of medicine, and a word that reads like a medicine's name ("-ol", "-ine").
MEDICINE_WORDS = (
    r"medicines?|medications?|meds|tablets|pills|antibiotics?|antidepressants?|painkillers?|pain killers?|"
    r"blood thinners?|the pill|contraceptives?|inhalers?|supplements?|vitamins?|herbal \w+|st johns wort|"
    r"patch|patches|hrt|creams?|gels?|drops|injections?|insulin|steroids?|antihistamines?|antacids?|remed(?:y|ies)|"
    r"grapefruit|caffeine|coffee|tea|energy drinks?|"
    r"\w{3,}(?:ol|en|in|ine|ide|one|pam|lam|pram|pril|sartan|statin|mab|azole|cycline|mycin|xetine|pine|zine|done|fen|cin)"
)
NOT_MEDICINES = frozenset(
    "within again children often women between kitchen even been seen then routine machine online engine someone "
    "everyone anyone alone phone done gone none bone control cholesterol school open chicken protein listen "
    "happen garden begin ordine wooden golden given driven written taken eaten gotten sudden".split()
)
OVERDOSE = _re(
    r"overdos\w*",
    r"(?:took|taken|take|had|swallowed|taking) (?:way |far |a lot |a few |two |three |\w+ )?too (?:many|much)",
    r"(?:took|taken|swallowed|had|take|swallow) (?:all|the whole|a whole|a full|a handful|handfuls|a bottle|a box|"
    r"a pack|a load|loads|a lot|a bunch|a fistful|double|triple|"
    r"a packet|the rest|loads|lots|\d{2,}|twenty|thirty|forty|fifty)(?: of)?(?: (?:my|the|her|his|them|it))?"
    r"(?: (?:pills|tablets|capsules|meds|medication|bottle|box|pack|packet|strip|of them))?",
    r"(?:have|got|making|made) a plan to",
    r"(?:finish\w*|emptied|empty|went through) (?:a|the|her|his|my|their) (?:whole )?(?:box|bottle|pack|packet|strip)",
    r"swallowed (?:\d+|a few|several|some of|five|six|seven|eight|nine|ten)",
    r"(?:took|taken|had) (?:\w+ ){0,2}(?:as well as|on top of) (?:\w+ ){0,2}(?:todays|yesterdays|his|her|my|the)",
    r"(?:son|daughter|toddler|child|kid|baby|grandson|granddaughter|boy|girl|year old|yr old|little one|dog|cat)s?"
    r" (?:has |have |just |may have |might have )?"
    r"(?:ate|eaten|swallowed|got into|chewed|drank|drunk|found|got hold of)(?: \w+){0,4}? (?:some|ones|them|bottle|box|"
    r"pack|packet|blister|strip|\d+|two|three|four|five|a few|several|a handful|lots|loads|" + MEDICINE_WORDS + r")",
)
BREATHING = _re(
    r"(?:cant|couldnt|unable to|not able to|struggling to|struggle to|hard to|difficult to|trouble|difficulty)"
    r" (?:\w+ )?(?:breathe|breathing|breath|catch (?:my|his|her|their) breath)",
    r"short(?:ness)? of breath",
    r"gasping(?: for (?:air|breath))?",
    r"(?:throat|airway)s?(?: \w+){0,3} (?:closing|tight\w*)",
    r"(?:not|isnt|wasnt|arent|stopped|stops|barely) breathing",
    r"breathing (?:is |has |went |gone |got )?(?:very |really )?(?:slow|shallow|stopped|laboured|labored|noisy|weird)",
    r"(?:lips|face|fingers|skin) (?:are |is |have |has |went |gone |turning |turned )*blue",
    r"turning blue",
    r"choking",
    r"wheez\w*",
    r"chest (?:pain|pains|hurts|hurting|is hurting|tightness|is tight|feels tight)",
    r"(?:lips|face|skin) (?:look|looks|are|is|went|gone|turning|turned) (?:grey|gray|blue)",
)
SWELLING = re.compile(
    r"\b(?:(?:face|lip|lips|tongue|throat|mouth|eye|eyes|eyelids)\b(?: \w+){0,3} "
    r"(?:swelling|swollen|swell\w*|puff\w*|huge|enormous|massive|thick|enlarged|twice the size|welts|hives|blotch\w*|"
    r"blew up|blown up|balloon\w*)"
    r"|(?:swelling|swollen|swell\w*|puff\w* up)\b(?: \w+){0,3} (?:face|lip|lips|tongue|throat|mouth|eyes|eyelids))\b"
    r"|\banaphyla\w*"
)
SEIZURE = _re(
    r"seizure\w*",
    r"seizing",
    r"convuls\w*",
    r"(?:having|had|has|its|is it|like|think) (?:a |another )?fit(?! of)",
    r"fitting",
    r"jerking",
    r"(?:cant stop|uncontrollabl\w*) (?:shaking|jerking|twitching)",
    r"shaking all over",
    r"(?:having|had|has|have|getting|and) fits",
    r"eyes (?:are |were |keep )?rolling",
)
UNCONSCIOUS = _re(
    r"unconscious",
    r"unresponsive",
    r"passed out",
    r"passing out",
    r"blacked out",
    r"collapsed(?! laughing| with laughter| into bed| on the (?:sofa|couch|bed))",
    r"(?:wont|cant|couldnt|not|isnt) (?:wake|waking|waken)(?: (?:him|her|them|up))*",
    r"(?:hard|difficult|impossible) to (?:wake|rouse)",
    r"(?:wont|cant|couldnt|not) (?:rouse|respond\w*)",
    r"(?:lost|losing|loses|lose) consciousness",
    r"faint(?:ed|ing)",
    r"keeled over",
    r"slurr\w*",
    r"not making (?:any )?sense",
    r"knocked out",
)
SELF_HARM = _re(
    r"suicid\w*",
    r"(?:kill|killing|hurt|hurting|harm|harming|cut|cutting) (?:my ?self|myself)",
    r"self harm\w*",
    r"end(?:ing)? (?:it all|my life|things)",
    r"take my (?:own )?life",
    r"(?:want|wanted|wanting|wanna) to die",
    r"wanna die",
    r"better off dead",
    r"dont (?:want|wanna) (?:to )?(?:live|be here|be alive|wake up)",
    r"(?:no|any|the|see the|whats the) (?:reason|point) (?:to|in|of) "
    r"(?:live|living|life|going on|being alive|being here)",
    r"not worth living",
    r"(?:cant|dont want to) go on",
    r"wish (?:i|id) (?:was|were|had) (?:dead|never|not)",
    r"wish (?:i|id) (?:wasnt|werent) (?:here|alive|around)",
    r"on purpose",
    r"(?:saving|saved|stockpil\w*|hoard\w*) (?:up )?(?:my |her |his |the )?(?:tablets|pills|meds|medication)",
    r"stash of (?:\w+ )?(?:tablets|pills|meds|medication)",
    r"want (?:it|everything|things|this|the pain|life) to (?:stop|end)",
    r"stockpil\w*",
    r"cant (?:cope|go on|do this|take (?:it|this)) any ?more",
)
# Asking for, or about to call, emergency help: a reader who names it is treated as an emergency.
EMERGENCY_HELP = _re(
    r"(?:call|called|calling|ring|rang|phone|get) (?:an |the )?ambulance",
    r"911",
    r"999",
    r"112",
    r"accident and emergency",
    r"emergency (?:room|department|services)",
    r"poison (?:control|centre|center)",
)
# A question about a risk ("can it cause seizures?") or a past history is not an emergency now.
ABOUT_A_RISK = _re(
    r"can (?:it|this|they|these)",
    r"could (?:it|this|they)",
    r"does (?:it|this)",
    r"do (?:they|these)",
    r"will (?:it|this)",
    r"would (?:it|this)",
    r"is there a risk",
    r"risk of",
    r"chance of",
    r"history of",
    r"years ago",
    r"in the past",
    r"as a child",
    r"known to",
    r"leaflet",
    r"label",
    r"mention\w*",
    r"listed",
    r"warns?",
    r"warning",
    r"used to",
    r"cause\w*",
    r"if you",
)


# The signs of an emergency, which are also side effects when they are told as something that happened on a medicine.
SIGNS = (BREATHING, SWELLING, SEIZURE, UNCONSCIOUS)


def reads_as_emergency(sentences: list[Sentence]) -> str | None:
    """An emergency now: an overdose, trouble breathing, a swollen face or throat, a seizure, someone unconscious,
    thoughts of self-harm or suicide.

    Self-harm counts wherever and however it is said, and an overdose unless negated; the others not when negated
    or when the clause asks about a risk or a history ("can it cause seizures?", "a seizure years ago").
    """
    for sentence in sentences:
        found = first_match(SELF_HARM, sentence.clauses, negatable=False) or first_match(OVERDOSE, sentence.clauses)
        for pattern in (*SIGNS, EMERGENCY_HELP):
            found = found or first_match(pattern, sentence.clauses, unless=ABOUT_A_RISK)
        if found:
            return found
    return None


# Side effects ---------------------------------------------------------------
# Someone went through it: "I've had", "it made me", "since starting", "my son gets".
EXPERIENCED = _re(
    r"i (?:dont |didnt |havent |hadnt |do not )?(?:have|had|has|get|got|gets|getting|am|was|been|keep|kept|started|"
    r"start|noticed|notice|experienced|"
    r"experiencing|developed|suffer\w*|feel|felt|woke|wake|cant|ended up)",
    r"i ?(?:ve|m|d)",
    r"im",
    r"ive",
    r"id",
    r"my (?:\w+ ){1,3}?(?:is|are|has|have|was|were|got|gets|keeps|went|gone|become|becomes|turned|feels|looks)",
    r"on the \d+ ?(?:mg|mcg|ml)",
    r"for (?:me|him|her)",
    r"after (?:the |my |his |her |their )?(?:\w+ )?(?:dose|tablet|pill|one|injection|prescription|medicine|medication)",
    r"is it normal(?: to| that)?",
    r"(?:feel|feeling) (?:this|so|really|very)",
    r"(?:made|makes|making|gave|gives|giving|causing|caused|leaving|left) (?:me|him|her|us|my)",
    r"since (?:i |he |she |we )?(?:start\w*|tak\w*|switch\w*|began|beginning|increas\w*|upp\w*|went|moving)",
    r"(?:anyone|anybody)(?: else)? (?:get|gets|got|getting|have|has|had|having|experience\w*|notice\w*|suffer\w*|lost|"
    r"lose|find|found)",
    r"since (?:the|my) (?:increase|switch|change|new \w+)",
    r"^(?:been|getting|got|having|had|keep|kept|started|feeling|felt|noticed|woke|developed|lost)",
    r"since (?:the |my )?(?:first |second |last |new )?(?:dose|tablet|pill|one|prescription)",
    r"since (?:the|my|his|her) (?:\w+ )?(?:dose|tablets?|pills?|medicine|medication) (?:was|were|got|went)",
    r"(?:mine|it|they|this|these|that) (?:started|began|kicked in)",
    r"(?:son|daughter|husband|wife|partner|mum|mom|mother|dad|father|child|kid)s? (?:has|have|had|is|was|gets|got|"
    r"keeps|started|developed)",
)
# "Will I get headaches?", "does it make you drowsy?": a question about a risk, not a report.
ASKS_ABOUT_A_RISK = _re(
    r"used to",
    r"years ago",
    r"as a child",
    r"in the past",
    r"history of",
    r"will i",
    r"would i",
    r"might i",
    r"could i",
    r"can (?:it|this|they)",
    r"does (?:it|this)",
    r"do (?:they|these|people|you)",
    r"will (?:it|this)",
    r"is (?:it|there) (?:likely|common|a risk)",
    r"how (?:common|likely|long)",
    r"risk of",
    r"chance of",
    r"make you",
    r"if you",
)


def reports_side_effect(sentences: list[Sentence]) -> str | None:
    """The reader went through something on a medicine: a symptom, "side effect" or an emergency's sign in a
    sentence that tells of someone's experience ("I've had headaches", "it made me dizzy", "since starting it",
    "been on it a week"), not negated ("no side effects so far"), in a clause that does not ask about a risk
    ("will I get headaches?"), and not in a sentence that tells of an overdose (those are its effects)."""
    for sentence in sentences:
        if not any(EXPERIENCED.search(clause) for clause in sentence.clauses) or first_match(
            OVERDOSE, sentence.clauses
        ):
            continue  # nothing told as experienced, or what follows an overdose
        told = [clause for clause in sentence.clauses if not ASKS_ABOUT_A_RISK.search(clause)]
        for pattern in (SYMPTOM, *SIGNS):
            found = first_match(pattern, told)
            if found:
                return found
    return None


# Questions ------------------------------------------------------------------
# What a medicine may be taken in: mixing one into food is about how to take it, not mixing medicines.
FOOD = r"(?:food|yoghurt|yogurt|juice|water|a drink|milk|jam|apple ?sauce|puree|porridge|honey)"
DOSE = _re(
    r"doses?",
    r"dosages?",
    r"dosing",
    r"how (?:much|many)(?! water| does it cost| do they cost| is it| are they| time| longer| of a)",
    r"max(?:imum)?",
    r"(?:take|taking|have) (?:a |the )?(?:half|quarter)",
    r"half (?:a |the )?(?:tablet|pill|dose)",
    r"(?:a |an )?(?:second|another|extra) (?:one|tablet|pill|dose|capsule)",
    r"the most (?:i|you|we|he|she|they|someone) (?:can|could|should)",
    r"(?:in|per|every) 24 hours",
    r"swallow\w* (?:\w+ )?whole",
    r"(?:mix\w*|stir\w*|dissolv\w*|sprinkl\w*|hid\w*) (?:\w+ )?(?:into|in|with) (?:\w+ )?" + FOOD,
    r"(?:\d+|one|two|three|four|five|six) (?:tablets? |pills? |caps |capsules )?(?:a|per|each) day",
    r"double (?:up|dose|the dose)",
    r"extra (?:one|tablet|pill|capsule|dose)",
    r"missed (?:a |my |the |one )?(?:dose|tablet|pill|one)",
    r"forgot (?:to take|my|a)",
    r"how often",
    r"(?:once|twice|three times|four times|\w+ times) a day",
    r"every \w+ hours",
    r"(?:increase|up|raise|lower|reduce|cut|halve|half) (?:my |the |it |your )?(?:dose|dosage|tablets?|pills?)",
    r"crush\w*",
    r"split\w*",
    r"chew\w*",
    r"(?:cut|break|broken) (?:\w+ )?(?:in|into) (?:half|halves|two)",
    r"halv\w*",
    r"(?:one|two|three|1|2|3) (?:tablets?|pills?|caps)",
    r"too (?:much|many|high|low|strong)",
    r"enough",
    r"(?:lower|reduce|raise|increase|up) (?:it|them)",
    r"by mistake",
    r"accidentally (?:took|taken|had|taking)",
    r"(?:took|taken|take|had) (?:\w+ ){0,3}(?:twice|again)",
    r"(?:\d+|one|two|three|four) (?:at once|at a time)",
)


def asks_about_dose(sentences: list[Sentence]) -> str | None:
    """The reader asks how much, how often, about a missed or extra dose, or about splitting or crushing tablets."""
    return next((found for s in sentences if s.asks and (found := first_match(DOSE, s.clauses, negatable=False))), None)


STOPPING_WORDS = _re(
    r"(?:stop|stopping|stopped|quit|quitting|give up|giving up|cut out) (?:taking |using )?(?:it|them|this|these|"
    r"my \w+|the \w+|taking|using)",
    r"come off",
    r"coming off",
    r"came off",
    r"get off",
    r"getting off",
    r"wean\w*",
    r"taper\w*",
    r"withdraw\w*",
    r"cold turkey",
    r"discontinu\w*",
    r"stop (?:when|once|after|if|before|early)",
    r"finish (?:the |my )?(?:whole )?course",
    r"(?:suddenly|abruptly|just|completely) stop\w*",
    r"stop\w* (?:suddenly|abruptly|all at once|straight away|overnight)",
    r"(?:reduc\w*|cut\w* down|lower\w*) (?:\w+ ){0,2}(?:slowly|gradually|bit by bit)",
    r"(?:slowly|gradually) (?:reduc\w*|cut\w* down|lower\w*)",
    r"rebound",
)


def asks_about_stopping(sentences: list[Sentence]) -> str | None:
    """The reader asks about stopping a medicine, coming off it, tapering or withdrawal (or says they stopped and
    something happened)."""
    for sentence in sentences:
        found = first_match(STOPPING_WORDS, sentence.clauses, negatable=False)
        if found and (sentence.asks or not found.startswith(("stop", "quit", "give", "giving", "cut"))):
            return found
    return None


PREGNANCY = _re(
    r"pregnan\w*",
    r"breast ?feed\w*",
    r"breast ?fed",
    r"breast ?milk",
    r"nursing",
    r"lactat\w*",
    r"conceiv\w*",
    r"trying for a baby",
    r"expecting a baby",
    r"trimester",
    r"weeks along",
    r"ivf",
    r"fertility",
    r"pumping",
    r"expressing milk",
    r"midwife",
    r"antenatal",
    r"obstetric\w*",
    r"due date",
    r"\d+ (?:weeks?|months?) (?:pregnant|along|gone)",
    r"newborn",
)


def asks_about_pregnancy(sentences: list[Sentence]) -> str | None:
    """The reader is (or may be, or is trying to be) pregnant, or breastfeeds; not when negated ("I'm not
    pregnant")."""
    return next((found for s in sentences if (found := first_match(PREGNANCY, s.clauses))), None)


# Said outright, these are about mixing, asked or told; the others only in a question.
MIXING_SAID = _re(
    r"interact\w*",
    r"alcohol",
    r"booze",
    r"mixing(?! (?:\w+ )?(?:into|in|with) (?:\w+ )?" + FOOD + ")",
    r"mix(?:ed)? (?:it|them|this|these|with|together)(?! (?:\w+ )?(?:into|in|with)? ?(?:\w+ )?" + FOOD + ")",
    r"combin\w*",
    r"with (?:\w+ )?(?:wine|beer|beers|vodka|gin|whiske?y|rum|cider|lager|prosecco|spirits)",
    r"(?:two|2|three|several) different (?:\w+ )?(?:" + MEDICINE_WORDS + r")",
)
MIXING = _re(
    r"(?:a |any |some )?drinks?",
    r"drinking",
    r"beers?",
    r"wine",
    r"pints?",
    r"spirits",
    r"glass(?:es)? of (?!water|milk|juice)\w+",
    r"vodka",
    r"gin",
    r"whiske?y",
    r"rum",
    r"cider",
    r"lager",
    r"prosecco",
    r"(?:with|alongside|together with|while (?:taking|on)|as well as|at the same time as|plus|on top of|and)"
    r" (?:my |the |a |an |some |other |another |any |your )?(?:\w+ ){0,2}?(?:" + MEDICINE_WORDS + r")",
    r"(?:" + MEDICINE_WORDS + r") (?:with|on|alongside) (?:it|this|them|these)",
)


def asks_about_mixing(sentences: list[Sentence]) -> str | None:
    """The reader asks about taking a medicine with another medicine (a word that names one, or reads like a
    medicine's name: "-ol", "-ine", "-pril"...), a supplement, grapefruit, caffeine or alcohol, or about
    interactions."""
    for sentence in sentences:
        found = first_match(MIXING_SAID, sentence.clauses)
        if found:
            return found
        if not sentence.asks:
            continue
        for clause in sentence.clauses:
            for match in MIXING.finditer(clause):
                last = match.group(0).split()[-1]
                if last in NOT_MEDICINES or negated(clause, match.start()):
                    continue
                return match.group(0)
    return None


RULES = (
    (Concern.EMERGENCY, reads_as_emergency),
    (Concern.SIDE_EFFECT, reports_side_effect),
    (Concern.DOSE, asks_about_dose),
    (Concern.STOPPING, asks_about_stopping),
    (Concern.PREGNANCY, asks_about_pregnancy),
    (Concern.MIXING, asks_about_mixing),
)


def triage(text: str) -> list[Finding]:
    """What ``text`` is held for, most urgent first, each with the words that gave it away; [] for none."""
    read = sentences(text or "")
    return [Finding(concern, found) for concern, rule in RULES if (found := rule(read))]
