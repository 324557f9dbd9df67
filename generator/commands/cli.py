"""The command line: a thin layer over the pipeline. Exit codes: 0 success,
1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from generator import __version__
from generator.commands.annotations import github_annotation
from generator.clock import today
from generator.diagnostics import Diagnostic, Diagnostics, shown
from generator.model.fields import SLUG
from generator.incremental.freshness import unchanged_build
from generator.model.records import BOARD_KINDS, PERSON_ROLES
from generator.commands.progress import Progress
from generator.result import BuildResult

if TYPE_CHECKING:
    from generator.commands.scaffold import Written

OK, CONTENT_ERRORS, USAGE = 0, 1, 2


class _Usage(Exception):
    pass


class _Refused(Exception):
    """The site folder holds something Minutes will not build with (exit code 1)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return USAGE
    try:
        if getattr(args, "new_site", False):  # `minutes init` makes the site it is given
            return int(args.run(args, Path(args.directory)))
        site = _site_root(getattr(args, "site", "."))
        return int(args.run(args, site))
    except _Usage as err:
        print(f"minutes: {err}", file=sys.stderr)
        return USAGE
    except _Refused as err:
        print(f"minutes: {err}", file=sys.stderr)
        return CONTENT_ERRORS
    except KeyboardInterrupt:
        print("minutes: interrupted; nothing was changed", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", metavar="DIR", default=argparse.SUPPRESS,
                        help="the site folder (with site.yaml and content/); default: the current folder")
    parser = argparse.ArgumentParser(prog="minutes", parents=[common],
                                     description="Build a website of meeting records from Markdown.")
    parser.add_argument("--version", action="version", version=f"minutes {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="check the content and build the site",
                                description="Check the content and build the site into output/. "
                                            "Nothing is written when there are errors.")
    build.add_argument("--output", metavar="DIR", help="where to write the site (default: output/ in the site folder)")
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="leave out the search index (quicker, for previews)")
    build.add_argument("-j", "--jobs", type=_positive, default=_default_jobs(), metavar="N",
                       help="validate, render and check links on N processes, and index N parts for search at "
                            f"a time (default: the number of cores, {_default_jobs()})")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", parents=[common], help="check the content without building",
                                description="Report every problem in the content, with file and line.")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="text (the default): file:line:column: error: message; "
                            "github: GitHub Actions annotations on the lines of a pull request")
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", parents=[common], help="preview the site, rebuilding as files change",
                                description="Build the site and serve it locally. Changes to content/, layouts/ "
                                            "and site.yaml rebuild it and reload open pages; errors are shown "
                                            "over the last good site.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--output", metavar="DIR", help="where to build the preview (default: output/ in the site folder)")
    serve.add_argument("--search", action="store_true", help="build the search index too (slower rebuilds)")
    serve.add_argument("-j", "--jobs", type=_positive, default=_default_jobs(), metavar="N",
                       help="validate, render and check links on N processes (default: the number of cores)")
    serve.set_defaults(run=_serve)

    init = commands.add_parser("init", help="make a new site folder",
                               description="Make a new site folder: site.yaml, with every field explained, and "
                                           "content/boards, content/meetings and content/people. An existing site "
                                           "is never overwritten.")
    init.add_argument("directory", metavar="DIR", help="the folder to make (or an existing folder without a site)")
    init.add_argument("--organisation", metavar="NAME",
                      help="the council's name, such as 'Borsetshire County Council' (default: made from DIR)")
    init.add_argument("--title", help="the site's name (default: '<organisation> meetings')")
    init.add_argument("--base-url", metavar="URL", help="the address the site will be published at")
    init.set_defaults(run=_init, new_site=True)

    new = commands.add_parser("new", parents=[common], help="start a new record from a template",
                              description="Start a new record from a template. Exit codes: 0 written; "
                                          "1 not written, because the record exists or names one the site "
                                          "does not have; 2 a mistake in the command.")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    meeting = kinds.add_parser("meeting", parents=[common], help="a meeting of a board on a date",
                               description="Write content/meetings/BOARD/DATE.md, filled in from the board.")
    meeting.add_argument("board", help="the board's slug, such as executive-board")
    meeting.add_argument("date", help="the date of the meeting, YYYY-MM-DD")
    meeting.add_argument("--suffix", help="for a second meeting on the same day, such as 'special'")
    meeting.add_argument("--first-number", type=_positive_number, metavar="N",
                         help="number the opening items N, N+1, ... (with the board's minute_prefix); "
                              "by default a board with a minute_prefix continues from its last meeting")
    meeting.set_defaults(run=_new_meeting)

    board = kinds.add_parser("board", parents=[common], help="a committee, board or other decision-maker",
                             description="Write content/boards/SLUG.md.")
    board.add_argument("slug", help="the board's slug, used in file names and web addresses, such as licensing-committee")
    board.add_argument("--name", required=True, help="the board's full name, such as 'Licensing Committee'")
    board.add_argument("--kind", required=True, choices=BOARD_KINDS, help="what sort of body it is")
    board.add_argument("--prefix", help="the letters that start its minute references, such as LC")
    board.add_argument("--organisation", metavar="SLUG", help="its organisation, from site.yaml (default: the site's)")
    board.add_argument("--parent", metavar="BOARD", help="the slug of the board it reports to")
    board.add_argument("--venue", help="where it usually meets")
    board.add_argument("--start", metavar="HH:MM", help="its usual start time, such as 18:30")
    board.add_argument("--contact", help="who to contact about its meetings")
    board.add_argument("--member", action="append", default=[], metavar="PERSON[:ROLE]",
                       help="a member, by slug, with an optional role (repeat for each): --member jane-smith:Chair")
    board.set_defaults(run=_new_board)

    person = kinds.add_parser("person", parents=[common], help="a councillor, officer or anyone else in the records",
                              description="Write content/people/SLUG.md.")
    person.add_argument("slug", help="the person's slug, such as jane-smith")
    person.add_argument("--name", required=True, help="the name as the records give it, such as 'Jane Smith'")
    person.add_argument("--honorific", help="shown before the name, such as Councillor or Dr")
    person.add_argument("--role", choices=PERSON_ROLES, help="councillor, officer or other (the default)")
    person.add_argument("--party", help="political party")
    person.add_argument("--ward", help="the ward a councillor represents")
    person.add_argument("--position", help="a job title or office")
    person.add_argument("--organisation", metavar="SLUG", help="their organisation, from site.yaml (default: the site's)")
    person.set_defaults(run=_new_person)

    importing = commands.add_parser("import", parents=[common], help="bring in existing records",
                                    description="Bring existing records into the site: from a council's ModernGov "
                                                "web service, or from minutes written in Word, as text or as a PDF. "
                                                "Exit codes: 0 imported; 1 stopped by a failing request, or the "
                                                "draft has problems; 2 a mistake in the command.")
    sources = importing.add_subparsers(dest="source", metavar="SOURCE", required=True)
    moderngov = sources.add_parser("moderngov", parents=[common], help="a council's ModernGov democracy site",
                                   description="Read the council's ModernGov web service and write its committees as "
                                               "boards, its councillors and attendees as people, and its meetings. "
                                               "Importing again updates the same files and leaves alone any file "
                                               "changed since it was imported. Restricted (exempt) items are written "
                                               "as headings only.")
    moderngov.add_argument("url", help="the council's democracy site, such as https://democracy.example.gov.uk")
    moderngov.add_argument("--committee", action="append", default=[], metavar="ID",
                           help="import only this committee, by its ModernGov number (repeat for each); default: all")
    moderngov.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                           help="meetings on or after this date (default: 2000-01-01)")
    moderngov.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                           help="meetings on or before this date (default: a year from today)")
    moderngov.add_argument("--download", action="store_true",
                           help="download each meeting's public papers into its folder, rather than linking to them")
    moderngov.set_defaults(run=_import_moderngov)

    document = sources.add_parser("document", parents=[common], help="minutes in a .docx, .txt or .pdf file",
                                  description="Turn minutes written in Word (.docx), as text (.txt) or as a PDF with a "
                                              "text layer into a draft meeting file, and say what could not be placed.")
    document.add_argument("file", help="the minutes: a .docx, .txt or .pdf file")
    document.add_argument("--board", required=True, help="the board's slug, such as executive-board")
    document.add_argument("--date", required=True, type=_date, metavar="YYYY-MM-DD", help="the date of the meeting")
    document.set_defaults(run=_import_document)
    return parser


def _site_root(value: str) -> Path:
    root = Path(value)
    if not (root / "site.yaml").is_file():
        raise _Usage(f"there is no site in {root.resolve()}: it has no site.yaml (use --site DIR)")
    if not (root / "content").is_dir():
        raise _Usage(f"the site in {root.resolve()} has no content/ folder")
    return root.resolve()


def _located(diagnostic: Diagnostic, site: Path) -> Diagnostic:
    """The problem with its file named from the folder the command ran in, so that a terminal or
    an editor there opens it (GitHub Actions runs commands from the repository's root, so its
    annotations name files as the pull request does); by its absolute path when the file is not
    under that folder. One rule for every format."""
    path = site / diagnostic.path
    here = Path.cwd().resolve()
    shown = path.relative_to(here).as_posix() if path.is_relative_to(here) and path != here else path.as_posix()
    return dataclasses.replace(diagnostic, path=shown)


def _report(diagnostics: Diagnostics, site: Path) -> None:
    ordered = diagnostics.sorted()
    for diagnostic in ordered:
        print(_located(diagnostic, site).format(), file=sys.stderr)
    errors = sum(d.severity == "error" for d in ordered)
    warnings = len(ordered) - errors
    if ordered:
        print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}", file=sys.stderr)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _check(args: argparse.Namespace, site: Path) -> int:
    # The pipeline's modules are imported only when needed.
    from generator.build import check_site

    linked, diagnostics = check_site(site)
    if args.format == "github":  # annotations on stdout, where GitHub Actions reads workflow commands
        ordered = diagnostics.sorted()
        for diagnostic in ordered:
            print(github_annotation(_located(diagnostic, site)))
        errors = sum(d.severity == "error" for d in ordered)
        if ordered:
            print(f"{_count(errors, 'error')}, {_count(len(ordered) - errors, 'warning')}", file=sys.stderr)
    else:
        _report(diagnostics, site)
    if linked is None:
        return CONTENT_ERRORS
    site_ = linked.site
    people = "1 person" if len(site_.people) == 1 else f"{len(site_.people)} people"
    print(f"No errors in {_count(len(site_.meetings), 'meeting')}, {_count(len(site_.boards), 'board')} and {people}.")
    return OK


def _output(args: argparse.Namespace, site: Path) -> Path:
    """Where to write: a folder named with --output is taken as it is, links and all; the site's
    own output/ is not followed if it is a symbolic link, which a pull request could commit to
    make the build empty and fill a folder anywhere on the machine."""
    if getattr(args, "output", None):
        output = Path(args.output).resolve()
    else:
        output = site / "output"
        if output.is_symlink():
            raise _Refused(f"output: the site's output folder is a symbolic link (to {os.readlink(output)}), "
                           "and Minutes will not write through it\n  hint: delete the link, or name the folder "
                           "to write to with --output")
    if output == site or site.is_relative_to(output) or output.is_relative_to(site / "content") \
            or output.is_relative_to(site / "layouts"):
        raise _Usage(f"cannot write the site to {output}: it would replace the site's own files")
    return output


def _build(args: argparse.Namespace, site: Path) -> int:
    output = _output(args, site)
    unchanged = unchanged_build(site, output, args.search, None)
    if unchanged is not None:  # known before the pipeline's modules are even imported
        return _summarise(unchanged, site, output)
    from generator.build import build_site

    progress = Progress(sys.stderr)
    result = build_site(site, output, search=args.search, jobs=args.jobs, progress=progress.update)
    progress.done()
    return _summarise(result, site, output)


def _summarise(result: BuildResult, site: Path, output: Path) -> int:
    _report(result.diagnostics, site)
    for note in result.notes:
        print(f"minutes: {note}", file=sys.stderr)
    if not result.ok:
        print("The site was not built; the previous output is unchanged.", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"Built {output}: {result.pages} pages and files, {result.rendered} rendered, "
          f"{result.written} written, in {result.timings.summary()}", flush=True)
    return OK


def _serve(args: argparse.Namespace, site: Path) -> int:
    from generator.commands import serve as preview

    output = _output(args, site)
    preview.serve(site, output, args.host, args.port, preview.preview_build(site, output, args.search, args.jobs),
                  lambda result: _summarise(result, site, output))
    return OK


def _default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes (1 or more)")
    return number


def _init(args: argparse.Namespace, root: Path) -> int:
    from generator.commands.scaffold import BadArgument, Written, init_site

    try:
        made = init_site(root, title=args.title, organisation=args.organisation, base_url=args.base_url)
    except BadArgument as err:
        raise _Usage(str(err)) from None
    if not isinstance(made, Written):
        print(f"minutes: {made.message}\n  hint: {made.hint}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"Made a new site in {root}. Next: edit {made.path.as_posix()}, then add boards and people "
          f"(minutes new board, minutes new person) or import records (minutes import), "
          f"and run minutes check --site {root}.")
    return OK


def _new_meeting(args: argparse.Namespace, site: Path) -> int:
    from generator.commands.scaffold import Written, new_meeting

    if not SLUG.match(args.board):
        raise _Usage(f"'{args.board}' is not a board's slug (lower-case letters, digits and hyphens)")
    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError:
        raise _Usage(f"'{args.date}' is not a date: write YYYY-MM-DD") from None
    if args.suffix and not SLUG.match(args.suffix):
        raise _Usage(f"'{args.suffix}' is not a suffix: use lower-case letters, digits and hyphens")
    made = new_meeting(site, args.board, day, args.suffix, args.first_number)
    return _wrote(made if isinstance(made, Written) else [made], site)


def _new_board(args: argparse.Namespace, site: Path) -> int:
    from generator.commands.scaffold import BadArgument, new_board

    try:
        made = new_board(site, args.slug, name=args.name, kind=args.kind, prefix=args.prefix,
                         organisation=args.organisation, parent=args.parent, venue=args.venue, start=args.start,
                         contact=args.contact, members=args.member)
    except BadArgument as err:
        raise _Usage(str(err)) from None
    return _wrote(made, site)


def _new_person(args: argparse.Namespace, site: Path) -> int:
    from generator.commands.scaffold import BadArgument, new_person

    try:
        made = new_person(site, args.slug, name=args.name, honorific=args.honorific, party=args.party, ward=args.ward,
                          role=args.role, position=args.position, organisation=args.organisation)
    except BadArgument as err:
        raise _Usage(str(err)) from None
    return _wrote(made, site)


def _wrote(made: Written | list[Diagnostic], site: Path) -> int:
    from generator.commands.scaffold import Written

    if not isinstance(made, Written):
        for problem in made:
            print(problem.format() if problem.path and (site / problem.path).exists()
                  else f"minutes: {shown(problem.message)}" + (f"\n  hint: {shown(problem.hint)}" if problem.hint else ""),
                  file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"Wrote {made.path.relative_to(site).as_posix()}")
    for note in made.notes:
        print(note)
    return OK


def _import_moderngov(args: argparse.Namespace, site: Path) -> int:
    from generator.importing.moderngov import Client
    from generator.importing.run import ImportProblem, import_moderngov

    try:
        client = Client(args.url)
    except ValueError as err:
        raise _Usage(str(err)) from None
    start = args.start or dt.date(2000, 1, 1)
    end = args.end or today("Europe/London") + dt.timedelta(days=365)
    if end < start:
        raise _Usage(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    progress = Progress(sys.stderr, what="meetings", verbs=("Importing", "Imported"), quiet_below=1)
    try:
        summary = import_moderngov(site, client, committees=args.committee, start=start, end=end,
                                   download=args.download, progress=lambda done, total, _: progress.update(done, total))
    except ImportProblem as err:
        raise _Usage(str(err)) from None
    except KeyboardInterrupt:
        progress.done()
        print("minutes: interrupted; every file read so far is written whole: run the same command again to go on",
              file=sys.stderr)
        return 130
    finally:
        progress.done()
    for line in summary.lines():
        print(line)
    if summary.failed is not None:
        return CONTENT_ERRORS
    print(f"Next: run minutes check --site {site}, then review the changes (git diff) before committing.")
    return OK


def _import_document(args: argparse.Namespace, site: Path) -> int:
    from generator.importing.drafting import import_document

    if not SLUG.match(args.board):
        raise _Usage(f"'{args.board}' is not a board's slug (lower-case letters, digits and hyphens)")
    path = Path(args.file)
    if path.suffix.lower() not in (".docx", ".txt", ".pdf"):
        raise _Usage(f"cannot import '{path.name}': give minutes as a .docx, .txt or .pdf file")
    if not path.is_file():
        raise _Usage(f"there is no file {path}")
    result = import_document(site, path, args.board, args.date)
    for line in result.unplaced:
        print(line)
    if result.written is None:
        for problem in result.problems:
            print(problem.format() if problem.path else f"minutes: {problem.message}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"Wrote {result.written.relative_to(site).as_posix()} (a draft: check it against the document).")
    if result.problems:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        print("minutes check reports these problems in the draft: correct them before committing.", file=sys.stderr)
        return CONTENT_ERRORS
    print("The draft passes minutes check.")
    return OK


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: write YYYY-MM-DD") from None


def _positive_number(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number (1 or more)")
    return int(value)
