"""A deploy image without Docker: its files placed as the Dockerfile places them, and its packages.

No Docker engine runs on these machines, so `docker build` cannot be tried.
This is the closest real check: read the Dockerfile, send only what its
`.dockerignore` lets into the build context, put every `COPY` where it puts
it (under a scratch root standing for the image's `/`), run the project's own
`RUN` steps (building the spaCy pipeline, training), and give Python only
the packages the image has: the base image's package and what it depends on,
plus the image's requirements file, linked from this project's virtual
environment (same pinned versions). `start()` then runs the image's
ENTRYPOINT and CMD with `python -S` (no site-packages but those links), so
an import the image cannot satisfy fails here as it would in the container.

What this does not reproduce: the base images' operating system and their
own Python build, pip resolving the requirements inside the image, users and
file permissions, and HEALTHCHECK timing.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from tests.support.servers import ROOT

SITE_PACKAGES = Path(metadata.distribution("rasa").locate_file(""))
# The Python package each base image is built around (and the tools its venv has).
BASE_IMAGE_PACKAGES = {
    "rasa/rasa": ["rasa[spacy]", "pip", "setuptools", "wheel"],
    "rasa/rasa-sdk": ["rasa-sdk", "pip", "setuptools", "wheel"],
}
# Stages that run npm: their working folder is what `make setup` (the same
# `npm ci` on the same lock file) leaves in the project.
NPM_STAGE_FOLDERS = {"/web": ROOT / "web"}
# RUN steps that install packages or set ownership: packages come from the
# requirement files (`link_packages`), users are not reproduced.
SKIPPED_COMMANDS = ("pip ", "chown ", "rm -rf /tmp/deps", "npm ci")


class ImageBuildError(RuntimeError):
    """The image could not be assembled: what `docker build` would also refuse."""


@dataclass
class Stage:
    base: str
    name: str | None
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    steps: list[tuple[str, str]] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    found: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or (not pending and not line):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).strip().partition(" ")
        pending = ""
        found.append((keyword.upper(), rest.strip()))
    return found


def stages(dockerfile: Path) -> list[Stage]:
    """Each FROM … stage with its working folder, environment, steps and command."""
    result: list[Stage] = []
    for keyword, rest in instructions(dockerfile):
        if keyword == "FROM":
            words = rest.split()
            result.append(Stage(base=words[0], name=words[2] if len(words) > 2 else None))
        elif keyword == "WORKDIR":
            result[-1].workdir = rest
        elif keyword == "ENV":
            result[-1].env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
        elif keyword in ("COPY", "RUN"):
            result[-1].steps.append((keyword, rest))
        elif keyword == "ENTRYPOINT":
            result[-1].entrypoint, result[-1].cmd = json.loads(rest), []
        elif keyword == "CMD":
            result[-1].cmd = json.loads(rest)
    return result


def _pattern(rule: str) -> re.Pattern[str]:
    """A .dockerignore pattern (`*` within a segment, `**` across) as a regex."""
    parts = []
    for piece in re.split(r"(\*\*|\*|\?)", rule.strip("/")):
        if piece == "**":
            parts.append(".*")
        elif piece == "*":
            parts.append("[^/]*")
        elif piece == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def in_context(dockerfile: Path, path: str) -> bool:
    """Whether `path` is in the build context: the ignore rules in order, the last match wins."""
    ignore = dockerfile.with_name(dockerfile.name + ".dockerignore")
    rules = [line.strip() for line in ignore.read_text(encoding="utf-8").splitlines()]
    included = True
    parents = [path.strip("/")]
    while "/" in parents[-1]:
        parents.append(parents[-1].rsplit("/", 1)[0])
    for rule in rules:
        if not rule or rule.startswith("#"):
            continue
        negated, rule = rule.startswith("!"), rule.lstrip("!")
        pattern = _pattern(rule)
        if any(pattern.fullmatch(candidate) for candidate in parents):
            included = negated
    return included


def _copy_tree(source: Path, target: Path, dockerfile: Path | None) -> None:
    """Copy a file, or a folder's contents, keeping only what the build context holds."""
    if source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(ROOT).as_posix() if dockerfile else ""
        if path.is_file() and (dockerfile is None or in_context(dockerfile, relative)):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


@dataclass
class AssembledImage:
    """The image's files under `root` (its `/`), the command it runs, and its packages."""

    dockerfile: Path
    root: Path
    stage: Stage
    site: Path

    @property
    def workdir(self) -> Path:
        return self.root / self.stage.workdir.lstrip("/")

    def in_root(self, value: str) -> str:
        """An image path (`/app/var`) as the scratch path standing for it."""
        return re.sub(r"(?<![\w.])/(app|usr|opt)\b", lambda m: f"{self.root}/{m.group(1)}", value)

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        """The image's ENV (paths mapped), Python pointed at the packages, then `extra`."""
        env = {key: self.in_root(value) for key, value in self.stage.env.items()}
        bin_dir = self.root / "shim"
        env["PATH"] = f"{bin_dir}:{self.root}/usr/local/bin:/usr/bin:/bin"
        env["PYTHONPATH"] = ":".join(
            [*filter(None, env.get("PYTHONPATH", "").split(":")), str(self.site)]
        )
        env["HOME"] = str(self.workdir)
        return {**env, **extra}

    def command(self, args: list[str] | None = None) -> list[str]:
        return [*self.stage.entrypoint, *(self.stage.cmd if args is None else args)]

    def start(
        self, log: Path, env: dict[str, str], args: list[str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Run ENTRYPOINT + CMD (or `args` instead of CMD) from the image's working folder."""
        command = self.command(args)
        handle = log.open("ab")
        return subprocess.Popen(
            command, cwd=self.workdir, stdout=handle, stderr=subprocess.STDOUT, env=env
        )

    def run(self, command: str, env: dict[str, str], log: Path) -> None:
        """One shell step of a RUN, in the image's working folder."""
        with log.open("ab") as handle:
            handle.write(f"\n$ {command}\n".encode())
            handle.flush()
            done = subprocess.run(
                ["bash", "-c", command], cwd=self.workdir, env=env, stdout=handle, stderr=handle
            )
        if done.returncode != 0:
            raise ImageBuildError(
                f"RUN step failed ({done.returncode}): {command}\n{log.read_text()[-3000:]}"
            )


def requirement_closure(roots: list[str]) -> set[str]:
    """Installed distributions the root requirements need, markers evaluated."""
    wanted: set[str] = set()
    queue = [Requirement(text) for text in roots]
    while queue:
        requirement = queue.pop()
        name = requirement.name.lower().replace("_", "-")
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # not installed here, so nothing of ours can import it either
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in wanted:
            continue
        wanted.add(key)
        for text in dist.requires or []:
            child = Requirement(text)
            extras = ["", *sorted(requirement.extras)]
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in extras):
                queue.append(child)
    return {key.split("[", 1)[0] for key in wanted}


def _pins(path: Path) -> list[str]:
    lines = (
        line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
    )
    return [line for line in lines if line]


def link_packages(distributions: set[str], site: Path) -> None:
    """A site-packages of links to exactly these distributions' files."""
    site.mkdir(parents=True, exist_ok=True)
    for name in sorted(distributions):
        for entry in metadata.distribution(name).files or []:
            top = entry.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            link = site / top
            if not link.exists() and (SITE_PACKAGES / top).exists():
                link.symlink_to(SITE_PACKAGES / top)


def assemble(
    dockerfile: Path, root: Path, log: Path, env: dict[str, str] | None = None
) -> AssembledImage:
    """Place the final stage's files, link its packages, and run the project's RUN steps."""
    all_stages = stages(dockerfile)
    final = all_stages[-1]
    image = AssembledImage(
        dockerfile=dockerfile, root=root, stage=final, site=root / "site-packages"
    )
    image.workdir.mkdir(parents=True, exist_ok=True)
    base = final.base.split(":")[0]
    requirements: list[str] = list(BASE_IMAGE_PACKAGES[base])
    for keyword, rest in final.steps:
        if keyword == "RUN" and "-r /tmp/deps/" in rest:
            file_name = re.search(r"-r /tmp/deps/(\S+)", rest)
            assert file_name is not None
            requirements += _pins(ROOT / "deploy" / file_name.group(1))
    link_packages(requirement_closure(requirements), image.site)
    shim = root / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "python").write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n', encoding="utf-8")
    (shim / "python").chmod(0o755)
    build_env = image.environment(env or {})
    for keyword, rest in final.steps:
        if keyword == "COPY":
            _place(image, rest, all_stages)
        else:
            for command in (part.strip() for part in rest.split("&&")):
                if not command.startswith(SKIPPED_COMMANDS):
                    image.run(image.in_root(command), build_env, log)
    return image


def _place(image: AssembledImage, arguments: str, all_stages: list[Stage]) -> None:
    words = shlex.split(arguments)
    from_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
    operands = [word for word in words if not word.startswith("--")]
    sources, destination = operands[:-1], operands[-1]
    if destination.startswith("/"):
        target_dir = image.root / destination.lstrip("/")
    else:
        target_dir = image.workdir / destination
    for source in sources:
        if from_stage:
            stage = next(s for s in all_stages if s.name == from_stage)
            prefix = NPM_STAGE_FOLDERS[stage.workdir]
            origin = prefix / Path(source).relative_to(stage.workdir)
            dockerfile = None
        else:
            origin, dockerfile = ROOT / source, image.dockerfile
            if not in_context(image.dockerfile, source) or not origin.exists():
                raise ImageBuildError(
                    f"COPY {source}: not in the build context of {image.dockerfile.name}"
                )
        if not origin.exists():
            raise ImageBuildError(f"COPY --from={from_stage} {source}: the stage has no such file")
        many = len(sources) > 1 or destination.endswith("/")
        target = target_dir / origin.name if origin.is_file() and many else target_dir
        _copy_tree(origin, target, dockerfile)
