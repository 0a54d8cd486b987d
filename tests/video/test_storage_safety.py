"""A recording's files on disk, tried as a careless or hostile user would (issue 10).

- a write that fails half-way never leaves a broken line in `index.jsonl` (finding 1);
- `record --out` never changes the mode of a folder it did not make, and
  refuses one that holds other things (finding 6);
- the index cannot send a reader out of the recording folder, and removing a
  recording never follows a link (finding 10);
- every file written about people is 0600 in 0700 folders, whatever the umask (finding 11).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from roleplay.core.clock import Clock, FakeClock
from roleplay.core.log import SessionLog, new_session_folder, read_log
from roleplay.video.player import Player
from roleplay.video.reader import ReadError, Recording
from roleplay.video.recorder import Recorder
from roleplay.video.segments import read_index, remove_recording
from roleplay.video.timeline import load_timeline

from conftest import REPO, run_cli, wait_status

TIMEOUT = 30.0


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def data_of(event) -> dict:
    return event.as_dict()["data"]


ENV = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # a strange umask must not leave odd __pycache__ folders


def run_python(script: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, env=ENV, input=stdin,
                          capture_output=True, text=True, timeout=120)


def run_roleplay(*args: str, umask: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay", *args], cwd=REPO, env=ENV, capture_output=True,
                          text=True, timeout=120, preexec_fn=lambda: os.umask(umask))


@pytest.fixture(scope="module")
def segment_file(tmp_path_factory) -> bytes:
    """The bytes of one real segment (64x48, about half a second)."""
    from roleplay.core.log import SessionLog

    clock = Clock()
    folder = new_session_folder(tmp_path_factory.mktemp("one"), "test", clock)
    with SessionLog(folder, clock) as log:
        log.append("session_started", {"scenario": "test", "participants": ["Ada"]})
        log.append("consent", {"participant": "Ada", "given": True})
        recorder = Recorder(folder, log, "synthetic:64x48@15", audio="none", segment_seconds=0.5, clock=clock)
        recorder.start()
        try:
            wait_status(recorder, lambda s: s.segments >= 1, "a segment")
        finally:
            recorder.stop()
    entry = read_index(folder)[0]
    return (folder / "video" / entry.file).read_bytes()


def index_line(segment: int, file: str, start: float = 0.0) -> str:
    entry = {"segment": segment, "file": file, "take": 1, "start": start, "end": start + 0.5,
             "start_wall": 1.8e9 + start, "first_frame": start, "last_frame": start + 0.4, "frames": 7,
             "audio_samples": 0, "width": 64, "height": 48, "bytes": 1000, "encrypted": False}
    return json.dumps(entry, separators=(",", ":")) + "\n"


def recording_with(tmp_path: Path, files: list[str], days_ago: float = 0) -> Path:
    """A session folder whose index lists `files` (as given), with a log."""
    clock = FakeClock(wall=time.time() - days_ago * 86400)
    folder = new_session_folder(tmp_path / "sessions", "test", clock)
    with SessionLog(folder, clock) as log:
        log.append("session_started", {"scenario": "test", "participants": ["Ada"]})
    video = folder / "video"
    video.mkdir(mode=0o700)
    (video / "index.jsonl").write_text("".join(index_line(i, name, i * 0.5) for i, name in enumerate(files, 1)))
    return folder


# -- finding 1: a write that fails half-way ---------------------------------------------------------

FAILING_APPEND = r"""
import resource, sys
from pathlib import Path
from types import SimpleNamespace
from roleplay.video.segments import SegmentStore

folder = Path(sys.argv[1])
store = SegmentStore(folder)
store.prepare()

def segment(start):
    return SimpleNamespace(start=start, first_frame=start, last_frame=start + 1, frames=15, audio_samples=0,
                           width=16, height=16)

store.write(segment(0.0), b"first", 1.5, 1.8e9)
index = folder / "video" / "index.jsonl"
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
# Room for the next segment file, but only 40 bytes more of the index: its line is cut half-way.
resource.setrlimit(resource.RLIMIT_FSIZE, (index.stat().st_size + 40, hard))
try:
    store.write(segment(1.5), b"second", 3.0, 1.8e9)
except OSError as exc:
    print("failed", exc.errno, flush=True)
else:
    print("written", flush=True)
resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
store.write(segment(3.0), b"third", 4.5, 1.8e9)  # recording goes on after the failure
print("done", flush=True)
"""


def test_an_index_append_cut_by_a_file_size_limit_is_taken_back(tmp_path):
    import errno

    folder = tmp_path / "session"
    folder.mkdir(mode=0o700)
    result = run_python(FAILING_APPEND, str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [f"failed {errno.EFBIG}", "done"]
    raw = (folder / "video" / "index.jsonl").read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.split(b"\n")[:-1]
    assert [json.loads(line)["segment"] for line in lines] == [1, 2]  # no broken line in the middle
    entries = read_index(folder)
    assert [(e.segment, e.file, e.start) for e in entries] == [(1, "seg-000001.mkv", 0.0), (2, "seg-000002.mkv", 3.0)]
    assert (folder / "video" / "seg-000002.mkv").read_bytes() == b"third"
    assert sorted(p.name for p in (folder / "video").iterdir()) == ["index.jsonl", "seg-000001.mkv", "seg-000002.mkv"]


FAILING_RECORDER = r"""
import json, resource, sys
from pathlib import Path
from roleplay.core.clock import Clock, FakeClock
from roleplay.core.log import SessionLog, new_session_folder
from roleplay.video.recorder import Recorder

clock = Clock()
folder = new_session_folder(Path(sys.argv[1]), "test", clock)
log = SessionLog(folder, clock)
log.append("session_started", {"scenario": "test", "participants": ["Ada"]})
log.append("consent", {"participant": "Ada", "given": True})
video = folder / "video"
video.mkdir(mode=0o700)
# Earlier takes: an index far longer than any segment this take writes, so the
# file-size limit cuts an index line, not a segment.
(video / "index.jsonl").write_text(sys.stdin.read())
limit = (video / "index.jsonl").stat().st_size + 100
recorder = Recorder(folder, log, "synthetic:32x24@15", audio="none", segment_seconds=0.3, clock=clock)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
recorder.start()
assert recorder.wait(timeout=60), "the recorder did not give up"
status = recorder.status()
print(json.dumps({"folder": str(folder), "state": status.state, "error": status.error, "segments": status.segments}))
"""


def test_a_recorder_whose_index_append_fails_stops_with_a_clear_message(tmp_path):
    earlier = "".join(index_line(i, f"seg-{i:06d}.mkv", i * 0.5) for i in range(1, 301))
    result = run_python(FAILING_RECORDER, str(tmp_path), stdin=earlier)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    folder = Path(outcome["folder"])
    assert outcome["state"] == "failed" and outcome["segments"] == 300
    assert "Recording stopped" in outcome["error"] and "File too large" in outcome["error"]
    assert "The session goes on" in outcome["error"]
    # Everything written before stays readable; the cut line is gone, and so is the unlisted segment.
    raw = (folder / "video" / "index.jsonl").read_bytes()
    assert raw == earlier.encode()
    assert len(read_index(folder)) == 300
    assert not list((folder / "video").glob("seg-*"))
    stopped = [data_of(e) for e in read_log(folder) if e.type == "recording_stopped"][-1]
    assert stopped["reason"] == "write_error" and "File too large" in stopped["error"]


def test_an_index_line_cut_by_a_crash_is_not_glued_to_the_next(tmp_path):
    from types import SimpleNamespace

    from roleplay.video.segments import SegmentStore

    folder = tmp_path / "session"
    (folder / "video").mkdir(parents=True)
    whole = index_line(1, "seg-000001.mkv")
    (folder / "video" / "index.jsonl").write_text(whole + index_line(2, "seg-000002.mkv")[:50])  # a crash mid-line
    (folder / "video" / "seg-000001.mkv").write_bytes(b"1")
    store = SegmentStore(folder)
    store.prepare()
    encoder = SimpleNamespace(start=1.0, first_frame=1.0, last_frame=1.4, frames=7, audio_samples=0, width=64,
                              height=48)
    store.write(encoder, b"2", 1.5, 1.8e9)
    assert [e.segment for e in read_index(folder)] == [1, 2]
    assert (folder / "video" / "index.jsonl").read_text().startswith(whole)


def test_the_index_is_split_on_newlines_only(tmp_path):
    folder = recording_with(tmp_path, ["seg-000001.mkv"])
    index = folder / "video" / "index.jsonl"
    line = json.loads(index.read_text())
    line["note"] = "one\u2028two\u2029three\x85four"  # raw, as another writer might leave them
    index.write_text(json.dumps(line, ensure_ascii=False) + "\n" + index_line(2, "seg-000002.mkv", 0.5),
                     encoding="utf-8")
    assert [e.segment for e in read_index(folder)] == [1, 2]


# -- finding 6: record --out ------------------------------------------------------------------------


def record(out: Path, umask: int = 0o022) -> subprocess.CompletedProcess:
    return run_roleplay("record", "--source", "synthetic:32x24@15", "--audio", "none", "--seconds", "0.5",
                        "--out", str(out), "--consent-all", umask=umask)


def test_record_refuses_a_foreign_folder_and_leaves_it_as_it_was(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chmod(theirs, 0o755)
    (theirs / "notes.txt").write_text("mine")
    result = record(theirs)
    assert result.returncode == 1
    assert result.stderr.startswith("roleplay: error: record:") and "notes.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert mode(theirs) == 0o755
    assert os.listdir(theirs) == ["notes.txt"]


def test_record_never_changes_the_mode_of_a_folder_it_did_not_make(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    result = record(shared)  # empty: fine to use
    assert result.returncode == 0, result.stderr
    assert mode(shared) == 0o755
    first = Path(re.search(r"session folder: (.+)", result.stdout).group(1))
    assert mode(first) == 0o700
    result = record(shared)  # it holds only a session now: still fine
    assert result.returncode == 0, result.stderr
    assert mode(shared) == 0o755 and len(os.listdir(shared)) == 2


def test_record_makes_every_missing_folder_private(tmp_path):
    out = tmp_path / "a" / "b" / "recordings"
    result = record(out)
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", out):
        assert mode(folder) == 0o700, folder


# -- finding 10: segment paths stay inside the recording folder ---------------------------------------


@pytest.mark.parametrize("name, why", [
    ("../../outside.mkv", "'..'"),
    ("/dev/zero", "absolute path"),
    ("../../../../../../../../dev/zero", "'..'"),
])
def test_an_index_cannot_name_a_file_outside_the_recording(tmp_path, segment_file, name, why):
    folder = recording_with(tmp_path, ["seg-000001.mkv", name])
    (folder / "video" / "seg-000001.mkv").write_bytes(segment_file)
    (folder.parent / "outside.mkv").write_bytes(segment_file)  # a real segment, just not this recording's
    with pytest.raises(ReadError, match=rf"index.jsonl line 2: .*not inside the recording folder.*{why}"):
        Recording(folder)
    with pytest.raises(ValueError, match="line 2"):
        read_index(folder)
    timeline = load_timeline(folder)  # replay shows the timeline, and says why there is no video
    assert not timeline.has_video and any("line 2" in n for n in timeline.notices)
    listed = run_cli("replay", str(folder), "--list-marks")
    assert listed.returncode == 0 and "line 2" in listed.stderr and "Traceback" not in listed.stderr


def test_a_segment_that_is_a_link_out_of_the_recording_is_refused(tmp_path, segment_file):
    folder = recording_with(tmp_path, ["seg-000001.mkv", "seg-000002.mkv"])
    (folder / "video" / "seg-000001.mkv").write_bytes(segment_file)
    outside = tmp_path / "elsewhere.mkv"
    outside.write_bytes(segment_file)
    (folder / "video" / "seg-000002.mkv").symlink_to(outside)
    with pytest.raises(ReadError, match=r"line 2: .*seg-000002.mkv.*through a link"):
        Recording(folder)
    # A link that stays inside the folder is only a name.
    (folder / "video" / "seg-000002.mkv").unlink()
    (folder / "video" / "copy.mkv").write_bytes(segment_file)
    (folder / "video" / "seg-000002.mkv").symlink_to("copy.mkv")
    frames = list(Recording(folder).frames())
    first = [f for f in frames if f.segment == 1]
    assert first and len(frames) == 2 * len(first)


def test_a_segment_that_is_a_pipe_is_skipped_not_waited_for(tmp_path, segment_file):
    folder = recording_with(tmp_path, ["seg-000001.mkv", "seg-000002.mkv"])
    (folder / "video" / "seg-000001.mkv").write_bytes(segment_file)
    fifo = folder / "video" / "seg-000002.mkv"
    os.mkfifo(fifo)
    done = threading.Event()
    seen: dict = {}

    def replay() -> None:
        player = Player(folder)
        seen["frames"] = list(player.frames_from(0.0))
        seen["notices"] = player.notices
        done.set()

    worker = threading.Thread(target=replay, daemon=True)
    worker.start()
    try:
        assert done.wait(TIMEOUT), "replay waited on a pipe"
    finally:
        if not done.is_set():  # let a stuck reader go
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        worker.join(TIMEOUT)
    assert seen["frames"] and {f.segment for f in seen["frames"]} == {1}
    assert any("seg-000002.mkv" in n and "not a regular file" in n for n in seen["notices"])


def test_removing_a_recording_never_follows_a_link(make_session, tmp_path):
    folder, log = make_session()
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "family.jpg").write_bytes(b"photo")
    (precious / "index.jsonl").write_text("mine\n")
    recorder = Recorder(folder, log, "synthetic:32x24@15", audio="none")
    # The recording folder is swapped for a link to someone else's folder.
    (folder / "video").symlink_to(precious, target_is_directory=True)
    recorder.delete_recording()  # what a withdrawn consent's deletion runs
    assert sorted(os.listdir(precious)) == ["family.jpg", "index.jsonl"]
    assert not os.path.lexists(folder / "video")
    assert read_log(folder)[-1].type == "recording_deleted"


def test_removing_a_recording_removes_links_inside_it_as_links(tmp_path):
    folder = recording_with(tmp_path, ["seg-000001.mkv", "seg-000002.mkv"])
    video = folder / "video"
    (video / "seg-000001.mkv").write_bytes(b"x" * 10)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.mkv").write_bytes(b"keep")
    (video / "seg-000002.mkv").symlink_to(other / "keep.mkv")
    (video / "folder-link").symlink_to(other, target_is_directory=True)
    (video / "stray").mkdir()
    (video / "stray" / "link").symlink_to(other / "keep.mkv")
    files, size = remove_recording(folder)
    assert not os.path.lexists(video)
    assert (other / "keep.mkv").read_bytes() == b"keep" and os.listdir(other) == ["keep.mkv"]
    assert files == 5 and size == 10 + len((index_line(1, "seg-000001.mkv") + index_line(2, "seg-000002.mkv", 0.5)).encode())


def test_deleting_and_pruning_sessions_never_follow_links(tmp_path):
    root = tmp_path / "sessions"
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("keep")
    folders = []
    for days_ago in (0, 40):
        folder = recording_with(tmp_path, ["seg-000001.mkv"], days_ago=days_ago)
        (folder / "video" / "seg-000001.mkv").symlink_to(other / "keep.txt")
        (folder / "elsewhere").symlink_to(other, target_is_directory=True)
        folders.append(folder)
    result = run_cli("delete", str(folders[0]), "--yes")
    assert result.returncode == 0, result.stderr
    result = run_cli("prune", "--older-than", "30d", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert not folders[0].exists() and not folders[1].exists()
    assert os.listdir(other) == ["keep.txt"] and (other / "keep.txt").read_text() == "keep"


# -- finding 11: 0600 files in 0700 folders, whatever the umask ----------------------------------------


def test_every_recording_file_is_private_whatever_the_umask(tmp_path):
    out = tmp_path / "new" / "recordings"
    # With this umask a plain os.open(..., 0o600) makes 0400 files and a plain mkdir 0500 folders.
    result = run_roleplay("record", "--source", "synthetic:32x24@15", "--audio", "synthetic", "--seconds", "1.5",
                          "--segment-seconds", "0.4", "--out", str(out), "--consent-all", umask=0o277)
    assert result.returncode == 0, result.stderr
    folder = Path(re.search(r"session folder: (.+)", result.stdout).group(1))
    assert len(read_index(folder)) >= 2  # the index was appended to after it was made
    for path in (tmp_path / "new", out, folder, folder / "video"):
        assert mode(path) == 0o700, path
    files = list((folder / "video").iterdir())
    assert {p.name for p in files} >= {"index.jsonl", "seg-000001.mkv", "seg-000002.mkv"}
    for path in files:
        assert mode(path) == 0o600, path


def test_temporary_segment_files_are_private_and_exclusive(make_session):
    from roleplay.video.files import open_private

    folder, log = make_session()
    seen = []

    def opener(path):
        old = os.umask(0o277)
        try:
            fd = open_private(path)
        finally:
            os.umask(old)
        seen.append((path.name, stat.S_IMODE(os.fstat(fd).st_mode)))
        return fd

    recorder = Recorder(folder, log, "synthetic:32x24@15", audio="none", segment_seconds=0.3, opener=opener)
    recorder.start()
    try:
        wait_status(recorder, lambda s: s.segments >= 1, "a segment")
    finally:
        recorder.stop()
    assert seen and all(name.endswith(".part") and m == 0o600 for name, m in seen), seen
    # A planted link where the temporary file goes is refused, not followed.
    victim = folder.parent / "victim"
    victim.write_text("keep")
    target = folder / "video" / "x.part"
    target.symlink_to(victim)
    with pytest.raises(FileExistsError):
        open_private(target)
    assert victim.read_text() == "keep"
