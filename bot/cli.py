"""The gazette-bot command: a thin layer over knowledge/ and bot/, so everything it does is callable from Python."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

from knowledge.store import GazetteError, build_store, is_current, open_store, stats

from .config import Config, ConfigError, load_config
from .redact import redacted_output

EXAMPLES = """examples:
  gazette-bot build                       build the store from the bundled gazette
  gazette-bot stats --json                counts of documents, clauses, tasks, tables, targets, units
  gazette-bot ask "电梯困人了找谁"           answer one question
  echo 谁负责老楼加装电梯 | gazette-bot ask --json -
  gazette-bot chat                        try the bot in the terminal, no Telegram needed
  gazette-bot broadcast --as-of 2022-12-20 --dry-run
  gazette-bot export --unit 区住建委 --as-of 2022-09-01 --format ics -o zjw.ics
"""


def ensure_store(cfg: Config) -> Path:
    """The store path, building the store first when it is missing or was written by an older version.

    A location that cannot be written is an error that names the setting to change. There is no fallback
    folder: a predictable shared one (the temp folder) would let another local user plant a "gazette".
    """
    if not is_current(cfg.store_path, cfg.gazettes):
        new = not Path(cfg.store_path).exists()
        build(cfg.gazettes, cfg.store_path, people_path=cfg.people_path)
        # said on stderr, so an operator with a mistyped path sees where the store went (stdout stays the answer)
        why = "built" if new else "rebuilt (written by another version, or the gazette or data files changed)"
        print(f"knowledge store {cfg.store_path}: {why}", file=sys.stderr)
    return cfg.store_path


def build(files: Iterable[Path], store_path: Path, progress=None, people_path: Path | None = None) -> dict:
    """build_store, with a folder or file that cannot be written reported as a configuration error."""
    try:
        return build_store(files, store_path, progress, people_path=people_path)
    except OSError as exc:
        raise ConfigError(f"cannot write the store {store_path} ({exc.strerror or exc}): set [store] path in "
                          "the configuration file, or GAZETTE_BOT_DB, to a file in a folder you can write") from None


def cmd_build(args: argparse.Namespace, cfg: Config) -> int:
    """Build the store from gazette files (the configured ones when none are named)."""
    files = [Path(f) for f in args.files] or cfg.gazettes
    if args.if_missing and is_current(cfg.store_path, files):
        return 0
    done: list[str] = []
    terminal = sys.stderr.isatty()   # a progress bar for people; nothing in logs and pipes

    def show(number: str) -> None:
        done.append(number)
        print(f"\rbuilding {'█' * len(done):<12} {len(done)} documents ({number})", end="", file=sys.stderr,
              flush=True)
    result = build(files, cfg.store_path, show if terminal else None, people_path=cfg.people_path)
    if terminal:
        print(file=sys.stderr)
    print(f"built {cfg.store_path}: {result['documents']} documents, {result['clauses']} clauses, "
          f"{sum(result['tasks'].values())} tasks, {sum(result['table_rows'].values())} table rows, "
          f"{result['targets']} targets, {result['units']} units")
    return 0


def cmd_stats(args: argparse.Namespace, cfg: Config) -> int:
    """Print what the store holds."""
    result = stats(open_store(ensure_store(cfg), readonly=True))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"documents  {result['documents']}\nclauses    {result['clauses']}\ntargets    {result['targets']}\n"
          f"units      {result['units']}")
    for number, n in result["tasks"].items():
        print(f"tasks      {n:>4}  {number}")
    for title, n in result["table_rows"].items():
        print(f"table rows {n:>4}  {title}")
    return 0


def cmd_units(args: argparse.Namespace, cfg: Config) -> int:
    """List departments with their task counts and the other spellings the gazette uses."""
    db = open_store(ensure_store(cfg), readonly=True)
    rows = list(db.query("select name, aliases, task_count, row_count from units order by task_count desc, name"))
    if args.json:
        for r in rows:
            r["aliases"] = json.loads(r["aliases"])
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        aliases = "、".join(json.loads(r["aliases"]))
        print(f"{r['task_count']:>4} tasks {r['row_count']:>3} rows  {r['name']}" + (f"  (= {aliases})" if aliases else ""))
    return 0


# "gazette-bot ask "/due 30"": chat commands belong to the chat; their lists are the export command's
COMMAND_IN_ASK = "{command} 是聊天里的命令：请在 Telegram 或 `gazette-bot chat` 里使用。{export}"
_CHAT_COMMAND = re.compile(r"^/(?P<name>[a-z]+)\b\s*(?P<rest>.*)$")


def command_hint(line: str, as_of: dt.date) -> str | None:
    """What to say to a chat command given to `ask`, with the export that lists the same tasks; None for a
    question (a stray "/" before words is one)."""
    m = _CHAT_COMMAND.match(line.strip())
    if not m:
        return None
    rest = m.group("rest").strip()
    days = rest.split()[0] if rest.split() and rest.split()[0].isdigit() else "30"
    export = {"due": f"--days {days}", "unit": f"--unit {rest}" if rest else "", "leader": f"--leader {rest}" if rest else ""}
    flags = export.get(m.group("name"), "")
    said = f"同样的清单可以这样导出：gazette-bot export {flags} --as-of {as_of.isoformat()} --format csv -o -" if flags else ""
    return COMMAND_IN_ASK.format(command="/" + m.group("name"), export=said)


def cmd_ask(args: argparse.Namespace, cfg: Config) -> int:
    """Answer questions: one from the command line, or one per line from stdin with '-'. Nothing is logged
    unless --log: evaluation runs and staff look-ups are not residents' questions."""
    from knowledge.engine import Engine

    from handlers import screening
    from knowledge.render_text import render_text

    as_of = args.as_of or cfg.today()
    engine = Engine.load(ensure_store(cfg), today=as_of)
    log = None
    if args.log:
        from knowledge import people
        from knowledge.writer import Writer
        people.prepare(cfg.store_path, cfg.people_db)
        log = Writer(cfg.people_db)
    questions = input_lines(sys.stdin) if args.question == "-" else [args.question]
    try:
        for number, q in enumerate(questions, 1):
            if not q.strip() and args.question == "-":
                continue   # a blank line between questions is spacing, not a question
            hint = command_hint(q, as_of)
            if hint is not None:   # not a question: neither answered nor logged
                sys.stdout.write(json.dumps({"query": q, "error": hint}, ensure_ascii=False) + "\n" if args.json
                                 else (f"== {q}\n" if args.question == "-" else "") + hint + "\n")
                continue
            try:
                result = engine.ask(q)
            except Exception as exc:    # one line the engine cannot take must not cost the lines after it
                print(f"gazette-bot: line {number}: could not answer ({type(exc).__name__}: {exc})", file=sys.stderr)
                result = None
            if log is not None and result is not None:
                log.question(q, result)
            if args.json:
                out = dict(result, suggestions=[s["label"] for s in result["suggestions"]]) if result else \
                    {"query": q, "error": "could not answer this question"}
                sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            else:
                # what the chat says to emoji, punctuation or a pasted document, the terminal says too
                text = screening.problem(q) or (render_text(result) if result else "（无法回答这个问题）")
                # several questions from stdin: each answer under its question, so the output splits
                sys.stdout.write((f"== {q}\n" if args.question == "-" else "") + text + "\n")
            sys.stdout.flush()
    finally:
        if log is not None:
            log.stop()
    return 0


def input_lines(stream) -> Iterator[str]:
    """The lines of stdin without their line ends; bytes that are not UTF-8 become U+FFFD, so one bad byte
    costs one character, not the batch."""
    raw = getattr(stream, "buffer", None)
    if raw is None:         # already text (a StringIO in tests, say)
        yield from (line.rstrip("\r\n") for line in stream)
        return
    for line in raw:
        yield line.decode("utf-8", errors="replace").rstrip("\r\n")


def cmd_chat(args: argparse.Namespace, cfg: Config) -> int:
    """Talk to the bot in the terminal through the same handlers Telegram uses."""
    from .chat import run_chat
    if args.as_of:
        cfg.as_of = args.as_of
    ensure_store(cfg)
    return run_chat(cfg)


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    """Start the bot on Telegram, or the offline chat when no token is configured."""
    if not cfg.token:
        ensure_store(cfg)
        print("No Telegram token configured (config.toml [telegram] token or TELEGRAM_BOT_TOKEN): "
              "starting the offline chat.", file=sys.stderr)
        from .chat import run_chat
        return run_chat(cfg)
    from .app import check_token, run_bot
    check_token(cfg)     # a revoked token fails in a second, not after a build and the engine's load
    ensure_store(cfg)
    return run_bot(cfg)


def cmd_broadcast(args: argparse.Namespace, cfg: Config) -> int:
    """Send today's deadline digests once (for cron, or to try it out with --dry-run)."""
    from .broadcast import run_broadcast_cli
    if args.as_of:
        cfg.as_of = args.as_of
    ensure_store(cfg)
    return run_broadcast_cli(cfg, dry_run=args.dry_run, resend_unknown=args.resend_unknown)


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    """Write a unit's, a leader's or the coming days' tasks as an .ics calendar or CSV (knowledge/export.py)."""
    from knowledge.engine import Engine
    from knowledge.export import export

    as_of = args.as_of or cfg.today()
    engine = Engine.load(ensure_store(cfg), today=as_of)
    data, listing = export(engine, args.format, unit=args.unit, leader=args.leader, days=args.days)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            print(f"gazette-bot: error: cannot write {args.output} ({exc.strerror or exc})", file=sys.stderr)
            return 2
    what = f"{len(listing.dated)} events" if args.format == "ics" else f"{len(listing.tasks)} rows"
    print(f"{listing.title}: {what} -> {args.output}", file=sys.stderr)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gazette-bot",
                                     description="Answer questions about a district government gazette, with citations.",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: ./config.toml if present)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="build the store from gazette files",
                       epilog="example: gazette-bot build tongzhou-2022-01.txt tongzhou-2022-02.txt")
    p.add_argument("files", nargs="*", help="gazette text files (default: the configured/bundled ones)")
    p.add_argument("--if-missing", action="store_true", help="do nothing when the store is up to date with the gazette files (their list and contents)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("stats", help="counts of what the store holds", epilog="example: gazette-bot stats --json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("units", help="departments with task counts and aliases", epilog="example: gazette-bot units")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("ask", help="answer a question", epilog='examples: gazette-bot ask "路灯不亮归谁管"; gazette-bot ask --as-of 2022-09-01 - < questions.txt')
    p.add_argument("question", help="the question, or - to read one per line from stdin (each answer printed "
                                    "under a '== question' line)")
    p.add_argument("--json", action="store_true", help="print one JSON object per question")
    p.add_argument("--as-of", metavar="DATE", type=iso_date, help="count days left from this date (YYYY-MM-DD); by default "
                                                   "today's real date, so 2022 deadlines read as long past")
    p.add_argument("--log", action="store_true", help="log the questions with the residents' ones (off by default)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="offline chat in the terminal", epilog="example: gazette-bot chat --as-of 2022-09-01")
    p.add_argument("--as-of", metavar="DATE", type=iso_date, help="treat this date (YYYY-MM-DD) as today")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("run", help="start the Telegram bot (offline chat without a token)",
                       epilog="example: TELEGRAM_BOT_TOKEN=123:ABC gazette-bot run")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("broadcast", help="send the deadline digests once",
                       epilog="example: gazette-bot broadcast --as-of 2022-12-20 --dry-run")
    p.add_argument("--as-of", metavar="DATE", type=iso_date, help="treat this date (YYYY-MM-DD) as today")
    p.add_argument("--dry-run", action="store_true", help="print the digests instead of sending them")
    p.add_argument("--resend-unknown", action="store_true",
                   help="send again the messages an earlier run sent without getting an answer (a time-out "
                        "or a killed process); by default they are not repeated, as Telegram most likely has them")
    p.set_defaults(func=cmd_broadcast)

    p = sub.add_parser("export", help="write tasks as an .ics calendar or CSV",
                       epilog="examples: gazette-bot export --unit 区住建委 --format ics -o zjw.ics\n"
                              "          gazette-bot export --leader 倪德才 --as-of 2022-09-01 --days 150 --format csv -o -",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--unit", metavar="X", help="the tasks of this department (any spelling, e.g. 区住建委)")
    p.add_argument("--leader", metavar="Y", help="the tasks this district leader leads (with --unit: both)")
    p.add_argument("--days", metavar="N", type=day_count,
                   help="only tasks due within N days of the as-of date (without --unit/--leader: default 30)")
    p.add_argument("--as-of", metavar="DATE", type=iso_date, help="count days from this date (YYYY-MM-DD)")
    p.add_argument("--format", required=True, choices=("ics", "csv"), help="iCalendar (one all-day event a task) or CSV")
    p.add_argument("-o", "--output", metavar="FILE", default="-", help="where to write it (default -: stdout)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"gazette-bot: error: {exc}", file=sys.stderr)
        return 2
    for warning in cfg.warnings:
        print(f"gazette-bot: warning: {warning}", file=sys.stderr)
    with redacted_output(cfg.token):     # whatever goes wrong below, the token is never printed
        return _run(args, cfg)


def day_count(text: str) -> int:
    """A --days span: a whole number of days from 1 to MAX_DAYS; anything else is a plain error, not silently 1
    or ten years."""
    from knowledge.deadlines import MAX_DAYS
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of days: write a whole number from 1 to {MAX_DAYS}, "
                                         "e.g. 30")
    return days


def iso_date(text: str) -> dt.date:
    """A --as-of date as people type it: 2022-12-20 (or 2022/12/20); anything else is a plain error."""
    try:
        return dt.date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2022-12-20") from None


def _run(args: argparse.Namespace, cfg: Config) -> int:
    try:
        return args.func(args, cfg)
    except (GazetteError, ConfigError) as exc:
        print(f"gazette-bot: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a malformed --as-of date and the like
        print(f"gazette-bot: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:   # `gazette-bot units | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())   # nothing left to flush at exit
        return 141
    except Exception as exc:
        if _is_invalid_token(exc):   # a revoked or mistyped token: say so in one line, no traceback
            print(f"gazette-bot: error: {exc} Check [telegram] token or TELEGRAM_BOT_TOKEN.", file=sys.stderr)
            return 2
        traceback.print_exc()   # through the redacting stderr
        return 1


def _is_invalid_token(exc: Exception) -> bool:
    errors = sys.modules.get("telegram.error")    # not imported: then it cannot be a Telegram error
    return errors is not None and isinstance(exc, errors.InvalidToken)


if __name__ == "__main__":
    sys.exit(main())
