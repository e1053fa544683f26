"""The ``ftlint`` command: ``check``, ``rules``, ``rule``, ``version``.

Exit status (as ruff and eslint): 0 when nothing at or above ``--fail-on`` was
found, 1 when something was, 2 for a usage, settings, plugin or internal
error. When the reader of the output goes away (``ftlint check | head``),
ftlint stops quietly with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ftlint._version import __version__
from ftlint.api.rules import Rule
from ftlint.cli.progress import ProgressBar
from ftlint.core.findings import Finding, Severity
from ftlint.readers.base import ReadError
from ftlint.reporters.base import ReportContext, RuleInfo
from ftlint.run.baseline import (
    BaselineError,
    check_baseline_target,
    read_baseline,
    write_baseline,
)
from ftlint.run.collect import collect
from ftlint.run.engine import Engine, LintResult
from ftlint.run.fixes import apply_fixes
from ftlint.run.registry import PluginError, Registry, load_plugins
from ftlint.settings.files import resolve_settings
from ftlint.settings.schema import Settings, SettingsError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args))
        _flush_stdout()  # a full disk or a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_ERROR
    except (SettingsError, PluginError, BaselineError, UsageError, ReadError) as error:
        _error(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_ERROR
    except Exception as error:  # the last line of defence: no traceback for users
        if os.environ.get("FTLINT_DEBUG"):
            traceback.print_exc()
        _error(
            f"internal error: {type(error).__name__}: {error} "
            "(set FTLINT_DEBUG=1 for the traceback, and please report it)"
        )
        return EXIT_ERROR


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UsageError(f"cannot write to standard output: {error.strerror}") from error


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last
    flush at exit does not fail again on the closed pipe (the recipe of the
    ``signal`` module's documentation)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _error(message: str) -> None:
    for line in message.splitlines() or [""]:
        print(f"ftlint: error: {line}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"ftlint: warning: {message}", file=sys.stderr)


def _positive_int(value: str) -> int:
    """An argument that counts something: 1 or more (as the settings keys)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftlint", description="Lint LLM fine-tuning datasets and training configs."
    )
    parser.add_argument("--version", action="version", version=f"ftlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint datasets and configs")
    check.set_defaults(handler=_check)
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: .)")
    rules = check.add_argument_group("rule selection")
    rules.add_argument("--select", type=_comma_list, help="rules to run: codes, prefixes, names")
    rules.add_argument("--extend-select", type=_comma_list, default=None)
    rules.add_argument("--ignore", type=_comma_list, default=None)
    output = check.add_argument_group("output")
    output.add_argument("--output-format", help="text, concise, json, jsonl, sarif, github")
    output.add_argument("-o", "--output", type=Path, help="write the report to this file")
    output.add_argument("--statistics", action="store_true", help="count findings per rule")
    output.add_argument(
        "--max-findings", type=_positive_int, help="report at most this many findings"
    )
    output.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    output.add_argument("--no-color", action="store_true", help="never colour the output")
    status = check.add_argument_group("exit status")
    status.add_argument("--fail-on", choices=[s.value for s in Severity], default=None)
    status.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    adoption = check.add_argument_group("settings and adoption")
    adoption.add_argument("--config", type=Path, help="settings file (default: discovered)")
    adoption.add_argument("--baseline", type=Path, help="report only findings not in FILE")
    adoption.add_argument("--write-baseline", type=Path, help="record today's findings in FILE")
    adoption.add_argument("--strict-plugins", action="store_true", help="a broken plugin is fatal")
    fixing = check.add_argument_group("fixes")
    fixing.add_argument(
        "--fix", action="store_true", help="apply safe fixes to config files, report the rest"
    )
    fixing.add_argument(
        "--diff", action="store_true", help="print the safe fixes as a diff; write nothing"
    )
    run = check.add_argument_group("execution")
    run.add_argument(
        "-j", "--jobs", type=_positive_int, help="worker processes (default: every core)"
    )
    run.add_argument("--no-cache", action="store_true", help="read every file again")
    run.add_argument(
        "--reference",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a benchmark or held-out file training data must not contain (L004); repeatable",
    )

    listing = commands.add_parser("rules", help="list every rule")
    listing.set_defaults(handler=_rules)
    listing.add_argument("--output-format", choices=["text", "json"], default="text")

    one = commands.add_parser("rule", help="print a rule's documentation")
    one.set_defaults(handler=_rule)
    one.add_argument("rule", help="code or name, e.g. S005 or empty-content")

    version = commands.add_parser("version", help="print the version")
    version.set_defaults(handler=lambda _: print(f"ftlint {__version__}") or EXIT_OK)
    return parser


def _load(strict: bool = False) -> Registry:
    registry = load_plugins(strict=strict)
    for failure in registry.failures:
        _warning(f"plugin '{failure.plugin}' failed to load and is skipped: {failure.error}")
    return registry


def _settings(args: argparse.Namespace) -> Settings:
    settings = resolve_settings(args.paths, args.config)
    return settings.with_overrides(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        jobs=args.jobs,
        output_format=args.output_format,
        cache=False if args.no_cache else None,
        references=(
            [*settings.references, *(str(p.resolve()) for p in args.reference)]
            if args.reference
            else None
        ),
    )


def _check(args: argparse.Namespace) -> int:
    registry = _load(args.strict_plugins)
    settings = _settings(args)
    if registry.manager is not None:
        registry.manager.hook.ftlint_configure(settings=settings)
    format_name = settings.output_format or "text"
    reporter_class = registry.reporters.get(format_name)
    if reporter_class is None:
        raise UsageError(
            f"unknown output format '{format_name}'; choose from {', '.join(registry.reporters)}"
        )
    baseline = read_baseline(args.baseline) if args.baseline else None
    if args.write_baseline:
        check_baseline_target(args.write_baseline)
    engine = Engine(registry, settings)

    progress = ProgressBar(enabled=not args.no_progress)
    try:
        result = engine.run(args.paths, progress)
    finally:
        progress.close()
    collected = collect(
        result, settings, registry, baseline=baseline, max_findings=args.max_findings
    )
    if args.diff:
        return _print_diff(collected.findings, result)
    if args.fix:
        outcome = apply_fixes(collected.findings, result.config_documents, write=True)
        for message in outcome.errors:
            _warning(message)
        if outcome.fixed:
            print(
                f"ftlint: fixed {len(outcome.fixed)} finding(s) in {len(outcome.files)} file(s)",
                file=sys.stderr,
            )
            fixed = {_identity(f) for f in outcome.fixed}
            result = replace(
                result, findings=[f for f in result.findings if _identity(f) not in fixed]
            )
            collected = collect(
                result, settings, registry, baseline=baseline, max_findings=args.max_findings
            )
    if args.write_baseline:
        write_baseline(args.write_baseline, collected.findings)

    with _output(args.output) as stream:
        context = ReportContext(
            tool_version=__version__,
            rules=tuple(_rule_info(rule) for rule in engine.plan.rules),
            root=".",
            color=_use_color(stream, args.no_color),
            show_statistics=args.statistics,
            fail_on=settings.fail_on,
            invocation=tuple(sys.argv),
        )
        reporter = reporter_class(stream, context)
        reporter.start()
        for finding in collected.findings:
            reporter.add(finding)
        reporter.finish(collected.summary)

    for message in result.warnings:
        _warning(message)
    for message in result.errors:
        _error(message)
    if result.errors:
        return EXIT_ERROR
    if args.exit_zero or args.write_baseline:
        return EXIT_OK
    return EXIT_FINDINGS if collected.fails(settings.fail_on) else EXIT_OK


def _print_diff(findings: Sequence[Finding], result: LintResult) -> int:
    """``--diff``: the safe fixes as a unified diff; exit 1 when there is one."""
    outcome = apply_fixes(findings, result.config_documents, write=False)
    for message in outcome.errors:
        _warning(message)
    sys.stdout.write(outcome.diff)
    return EXIT_FINDINGS if outcome.changed else EXIT_OK


def _identity(finding: Finding) -> tuple[str, str, int, int, str]:
    loc = finding.location
    return (finding.code, loc.path, loc.line, loc.column, finding.message)


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or the file ``--output`` names. Lone surrogates that a
    finding quotes from a record (``"\\ud800"``) are written as their escapes."""
    if path is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(errors="backslashreplace")
        try:
            yield sys.stdout
            _flush_stdout()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise UsageError(f"cannot write the report: {error.strerror}") from error
        return
    try:
        with path.open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            yield stream
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror}") from error


def _use_color(stream: TextIO, disabled: bool) -> bool:
    if disabled or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def _rule_info(rule: Rule | type[Rule]) -> RuleInfo:
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        documentation=rule.documentation(),
        severity=rule.severity,
        plugin=rule.plugin,
    )


def _rules(args: argparse.Namespace) -> int:
    registry = _load()
    rules = sorted(registry.rules.values(), key=lambda r: r.code)
    if args.output_format == "json":
        listing = [
            {
                "code": r.code,
                "name": r.name,
                "severity": str(r.severity),
                "plugin": r.plugin,
                "default_enabled": r.default_enabled,
                "summary": r.summary,
            }
            for r in rules
        ]
        print(json.dumps(listing, indent=2))
        return EXIT_OK
    name_width = max((len(r.name) for r in rules), default=4)
    for r in rules:
        marker = "" if r.default_enabled else "  (not enabled by default)"
        print(
            f"{r.code:<6} {r.name:<{name_width}}  {r.severity!s:<7}  {r.plugin:<10}  "
            f"{r.summary}{marker}"
        )
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    registry = _load()
    rule = registry.rule(args.rule)
    if rule is None:
        raise UsageError(f"no rule '{args.rule}'; `ftlint rules` lists them")
    enabled = "enabled by default" if rule.default_enabled else "not enabled by default"
    print(f"# {rule.code} {rule.name}\n")
    print(f"Default severity: {rule.severity}. Plugin: {rule.plugin}. {enabled.capitalize()}.\n")
    print(rule.documentation())
    return EXIT_OK
