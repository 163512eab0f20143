"""Static checks of deploy/: the files must agree with `Settings` and with the brief's deployment contract.

The deploy files are never executed by the unit tests (no Docker daemon or systemd here), so these checks are
what stops a renamed setting, a dropped hardening line or a root container from shipping unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"
UNIT = DEPLOY / "corpusbot.service"
ENV_EXAMPLE = DEPLOY / ".env.example"

PREFIX = "CORPUSBOT_"
FIELDS = frozenset(Settings.model_fields)
ENV_NAME = re.compile(r"\b" + PREFIX + r"(\w+)")
ENV_ASSIGNMENT = re.compile(r"^(#\s*)?" + PREFIX + r"(\w+)=(.*)$")


# --- tiny readers (no YAML library: these files must stay readable by the simplest tools) ------------------


def read_dockerfile(path: Path) -> list[list[tuple[str, str]]]:
    """Instructions as (KEYWORD, arguments), continuation lines joined, grouped by build stage."""
    logical = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in logical.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword, _, args = stripped.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append((keyword.upper(), " ".join(args.split())))
    return stages


def exec_form(args: str) -> list[str]:
    """The argv of a JSON (exec-form) CMD/HEALTHCHECK argument; shell form would need a shell in the image."""
    value = json.loads(args)
    assert isinstance(value, list), args
    return value


def read_systemd_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Section -> key -> every value, in order (systemd keys such as Environment= may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            current = sections.setdefault(stripped.strip("[]"), {})
            continue
        key, _, value = stripped.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _yaml_scalar(text: str) -> object:
    if text[:1] in "[{":
        raise ValueError(f"flow collections are not supported by this reader: {text!r}")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.isdigit() else text


def _yaml_block(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[object, int]:
    """Parse the block starting at lines[i] (which is at `indent`); return it and the next unread index."""
    if lines[i][1].startswith("- "):
        items: list[object] = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            item = lines[i][1][2:].strip()
            if re.match(r"^[^'\"\s][^:]*:(\s|$)", item):
                lines[i] = (indent + 2, item)  # "- key: value" opens a mapping indented past the dash
                value, i = _yaml_block(lines, i, indent + 2)
            else:
                value, i = _yaml_scalar(item), i + 1
            items.append(value)
        return items, i
    mapping: dict[str, object] = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        i += 1
        if rest.strip():
            mapping[key.strip()] = _yaml_scalar(rest.strip())
        elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
            mapping[key.strip()], i = _yaml_block(lines, i, lines[i][0])
        else:
            mapping[key.strip()] = None
    return mapping, i


def read_yaml(text: str) -> object:
    """Block-style YAML subset (mappings, sequences, plain scalars): enough for a compose file."""
    lines = []
    for raw in text.splitlines():
        content = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if content.strip():
            lines.append((len(content) - len(content.lstrip(" ")), content.strip()))
    value, end = _yaml_block(lines, 0, lines[0][0])
    assert end == len(lines), f"unparsed YAML from line {lines[end]!r}"
    return value


@pytest.fixture(scope="module")
def compose_services() -> dict:
    services = read_yaml(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert list(services) == ["bot", "postgres", "shard-0", "shard-1"]
    return services


@pytest.fixture(scope="module")
def compose_service(compose_services: dict) -> dict:
    return compose_services["bot"]


# --- every file: settings names are real -------------------------------------------------------------


def test_yaml_reader_handles_the_shapes_compose_uses() -> None:
    text = "a:\n  b: 1\n  c:\n    - x\n    - type: bind  # note\n      read_only: true\n  d:\n  - 'q'\ne:\n"
    expected = {"a": {"b": 1, "c": ["x", {"type": "bind", "read_only": True}], "d": ["q"]}, "e": None}
    assert read_yaml(text) == expected


@pytest.mark.parametrize("path", sorted(p for p in DEPLOY.iterdir() if p.is_file()), ids=lambda p: p.name)
def test_every_referenced_setting_exists(path: Path) -> None:
    names = {match.lower() for match in ENV_NAME.findall(path.read_text(encoding="utf-8"))}
    assert names <= FIELDS, f"{path.name} references unknown settings: {sorted(names - FIELDS)}"


# --- .env.example ------------------------------------------------------------------------------------


def _env_example_assignments() -> list[tuple[bool, str, str]]:
    """(commented_out, field, value) for every CORPUSBOT_ assignment line."""
    found = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_ASSIGNMENT.match(line)
        if match:
            found.append((match.group(1) is not None, match.group(2).lower(), match.group(3)))
    return found


def test_env_example_lists_every_setting_exactly_once() -> None:
    fields = [field for _, field, _ in _env_example_assignments()]
    assert sorted(fields) == sorted(FIELDS)


def test_env_example_has_no_trailing_comments() -> None:
    """systemd's EnvironmentFile keeps `value  # comment` verbatim, so comments must sit on their own line."""
    values = [value for commented, _, value in _env_example_assignments() if not commented]
    assert [value for value in values if "#" in value] == []


def test_env_example_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.upper().startswith(PREFIX)]:
        monkeypatch.delenv(name)
    from_example = Settings(_env_file=ENV_EXAMPLE)
    defaults = Settings(_env_file=None)
    token = {"discord_token"}
    assert from_example.model_dump(exclude=token) == defaults.model_dump(exclude=token)
    assert from_example.discord_token is None  # a blank token in the file means "not set"


# --- Dockerfile --------------------------------------------------------------------------------------


def test_dockerfile_uses_python_311_slim_everywhere() -> None:
    bases = {args.split()[0] for stage in read_dockerfile(DOCKERFILE) for kw, args in stage if kw == "FROM"}
    assert bases == {"python:3.11-slim"}


def test_dockerfile_installs_the_project_with_pip_from_the_copied_sources() -> None:
    install = re.compile(r"(^|&&\s*|\s)pip install --no-cache-dir \.(\s|$)")
    stages = read_dockerfile(DOCKERFILE)
    builders = [s for s in stages if any(kw == "RUN" and install.search(args) for kw, args in s)]
    assert len(builders) == 1
    copied = set()
    for keyword, args in builders[0]:
        if keyword == "COPY":
            sources = [arg for arg in shlex.split(args) if not arg.startswith("--")][:-1]
            copied.update(source.rstrip("/") for source in sources)
    find = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    top_level = {name.split(".")[0] for name in find["find"]["include"]}
    assert {"pyproject.toml", "README.md", *top_level} <= copied


def test_dockerfile_runtime_stage_contract() -> None:
    final = read_dockerfile(DOCKERFILE)[-1]
    keywords = [kw for kw, _ in final]
    args = dict(final)  # last occurrence wins, as in Docker
    env = dict(token.split("=", 1) for kw, a in final if kw == "ENV" for token in shlex.split(a))

    user = args["USER"].split(":")[0]
    assert user not in {"root", "0"}
    assert keywords.index("USER") < keywords.index("CMD")
    assert exec_form(args["CMD"]) == ["corpusbot", "run"]
    assert args["STOPSIGNAL"] == "SIGTERM"
    assert exec_form(args["HEALTHCHECK"].split(" CMD ", 1)[1]) == ["corpusbot", "check", "--health"]
    assert env[PREFIX + "DATABASE_PATH"] == "/data/corpusbot.sqlite3"
    assert env[PREFIX + "CORPUS_DIR"] == "/corpus"
    assert set(exec_form(args["VOLUME"])) == {"/data", "/corpus"}


# --- systemd unit ------------------------------------------------------------------------------------

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectControlGroups": "yes",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "LockPersonality": "yes",
    # MemoryDenyWriteExecute is left out on purpose: numba compiles the index's top-k kernel at run time.
}


def test_unit_runs_the_venv_script_and_restarts_on_failure() -> None:
    service = read_systemd_unit(UNIT)["Service"]
    assert service["ExecStart"] == ["/opt/corpusbot/.venv/bin/corpusbot run"]
    assert service["Restart"] == ["on-failure"]
    assert service["EnvironmentFile"] == ["/etc/corpusbot/corpusbot.env"]
    assert service["KillSignal"] == ["SIGTERM"]
    assert "TimeoutStopSec" in service
    assert "ExecReload" not in service, "the bot does not promise SIGHUP reload"


def test_unit_is_unprivileged_and_hardened() -> None:
    service = read_systemd_unit(UNIT)["Service"]
    assert service.get("DynamicUser") == ["yes"] or service.get("User", ["root"])[-1] != "root"
    assert {key: service.get(key, [None])[-1] for key in HARDENING} == HARDENING


def test_unit_database_lives_in_its_state_directory() -> None:
    service = read_systemd_unit(UNIT)["Service"]
    env = dict(item.split("=", 1) for line in service["Environment"] for item in shlex.split(line))
    state_dir = Path("/var/lib") / service["StateDirectory"][-1]
    assert Path(env[PREFIX + "DATABASE_PATH"]) == state_dir / "corpusbot.sqlite3"
    assert Path(env[PREFIX + "CACHE_DIR"]) == Path("/var/cache") / service["CacheDirectory"][-1]


# --- compose -----------------------------------------------------------------------------------------


def test_health_probe_reads_the_heartbeat_of_the_same_database() -> None:
    """The timer's probe runs `check --health` against the bot unit's database path and restarts the bot."""
    bot = read_systemd_unit(UNIT)["Service"]
    probe = read_systemd_unit(DEPLOY / "corpusbot-health.service")["Service"]
    timer = read_systemd_unit(DEPLOY / "corpusbot-health.timer")
    bot_env = dict(item.split("=", 1) for line in bot["Environment"] for item in shlex.split(line))
    probe_env = dict(item.split("=", 1) for line in probe["Environment"] for item in shlex.split(line))
    assert probe_env[PREFIX + "DATABASE_PATH"] == bot_env[PREFIX + "DATABASE_PATH"]
    (command,) = probe["ExecStart"]
    assert "/opt/corpusbot/.venv/bin/corpusbot check --health ||" in command
    assert "systemctl restart corpusbot.service" in command
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    assert "OnUnitActiveSec" in timer["Timer"]


def test_compose_builds_the_dockerfile_from_the_repository_root(compose_service: dict) -> None:
    build = compose_service["build"]
    assert (DEPLOY / build["context"]).resolve() == ROOT
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE


def test_compose_service_policy(compose_service: dict) -> None:
    assert compose_service["env_file"] == ".env"
    assert compose_service["restart"] == "unless-stopped"
    assert re.fullmatch(r"\d+(s|m)", compose_service["stop_grace_period"])
    assert "healthcheck" not in compose_service, "the image's HEALTHCHECK must apply unchanged"


def test_compose_mounts_corpus_read_only_and_data_on_a_named_volume(compose_service: dict) -> None:
    mounts = {mount["target"]: mount for mount in compose_service["volumes"]}
    named_volumes = read_yaml(COMPOSE.read_text(encoding="utf-8"))["volumes"]
    assert mounts["/corpus"]["type"] == "bind"
    assert mounts["/corpus"]["read_only"] is True
    assert mounts["/data"]["type"] == "volume"
    assert mounts["/data"]["source"] in named_volumes


def test_compose_postgres_is_optional_healthchecked_and_persistent(compose_services: dict) -> None:
    postgres = compose_services["postgres"]
    assert "bot" not in str(postgres.get("profiles")) and set(postgres["profiles"]) == {"postgres", "shards"}
    assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    mounts = {mount["target"]: mount for mount in postgres["volumes"]}
    assert mounts["/var/lib/postgresql/data"]["source"] in read_yaml(COMPOSE.read_text(encoding="utf-8"))["volumes"]
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_compose_shards_split_one_shard_count_and_share_the_database(compose_services: dict) -> None:
    shards = [compose_services[f"shard-{i}"] for i in range(2)]
    for shard in shards:
        assert shard["extends"] == {"service": "bot"} and shard["profiles"] == ["shards"]
        assert shard["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert "healthcheck" not in shard, "the image's HEALTHCHECK (corpusbot check) must apply"
    envs = [{k.removeprefix(PREFIX).lower(): str(v) for k, v in s["environment"].items()} for s in shards]
    for env in envs:
        assert set(env) <= FIELDS
        assert env["database_url"].startswith("postgresql://") and "@postgres:5432/" in env["database_url"]
    assert {env["shard_count"] for env in envs} == {"2"}
    assert sorted(env["shard_ids"] for env in envs) == ["0", "1"]
    assert len({env["database_url"] for env in envs}) == 1
    for env in envs:
        settings = Settings(_env_file=None, **env)
        assert settings.shard_count == 2 and settings.shard_ids in ([0], [1])
