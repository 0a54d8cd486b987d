"""A scene's recording as one MP4 file a phone's `<video>` can play and seek by HTTP range requests.

The recording is a run of short Matroska segments (H.264 + Opus, about 1.5 s each, maybe encrypted).
A browser plays one file, and phones do not play Matroska with H.264, so the scene is served as a
*fragmented MP4* that exists only as a byte layout: `ftyp` + `moov` (the tracks), `sidx` (where
each fragment starts and how long it lasts, so a seek asks for the right bytes at once), then one
`moof` + `mdat` fragment per segment. The picture and sound are not re-encoded: each segment's
packets are copied into its fragment as they are (the H.264 packets are already length-prefixed,
as MP4 wants them; every segment starts with a key frame).

Laying the file out reads every segment once (to count its packets and bytes) and keeps only those
numbers. A range request then builds just the fragments it covers, one segment at a time: an
encrypted segment is decrypted in memory, never written anywhere, and no more than one segment's
worth of plaintext is held per request (plus a few recently built fragments, for the seeks and
restarts a video element makes). Everything here blocks on the disk and the CPU: the web server
calls it from worker threads, never on its event loop.

Times: the file's time 0 is the scene's start; segments follow end to end, as `roleplay replay`
lays takes out, so a time in the file plus the scene's start is a time of the session's recording.
Within a fragment, pictures are stored in decoding order with decode times equal to the sorted
presentation times; the composition offsets (B-frames) are made non-negative by adding the scene's
reorder delay, and the picture track's edit list takes that delay off again, so pictures show at
the times the camera gave them, in step with the sound. (Negative offsets would avoid the edit list,
but FFmpeg-based players, Chromium's among them, then shift the picture against the sound.) Each
segment's sound starts at its recorded time, or right after the previous segment's sound if that
runs a few milliseconds longer (an encoder's padding): it never goes back in time.
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

VIDEO_TRACK = 1
AUDIO_TRACK = 2
VIDEO_SCALE = 1000  # Matroska keeps milliseconds
AUDIO_SCALE = 48000  # Opus
KEEP_FRAGMENTS = 3  # recently built fragments kept per scene (a video element re-asks for what it just had)
MAX_FRAGMENTS = 65535  # sidx counts them in 16 bits: about 27 hours of 1.5 s segments


class SceneVideoError(Exception):
    """The scene's recording cannot be served; the message says why (in plain words)."""


# ----- boxes ------------------------------------------------------------------------------------------


def _box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


_MATRIX = struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)


@dataclass
class _Packets:
    video: list[tuple[int, bytes, bool]]  # (presentation ms, data, key frame), in decoding order
    audio: list[tuple[int, int, bytes]]  # (presentation ms, duration ms, data)
    video_config: bytes | None  # avcC
    audio_config: bytes | None  # OpusHead
    width: int
    height: int


@dataclass
class _Fragment:
    entry: Any
    start: float  # seconds into the scene where this segment begins
    video_base: int  # decode time of its first video sample (VIDEO_SCALE)
    video_end: int  # where the next fragment's video begins (its last sample lasts until then)
    audio_base: int  # decode time of its first sound sample (AUDIO_SCALE)
    video_count: int
    audio_count: int
    delay: int = 0  # the scene's reorder delay (ms): presentation times are shifted by it, the edit list shifts them back
    offset: int = 0
    size: int = 0


def _read_packets(folder: Path, entry: Any, key: Any) -> _Packets:
    """One segment's packets (decrypted in memory when it is encrypted)."""
    import av

    from roleplay.video import crypto
    from roleplay.video.segments import read_segment

    try:
        data = read_segment(folder, entry)
    except OSError as exc:
        raise SceneVideoError(f"segment {entry.segment} cannot be read ({exc.strerror or exc})") from None
    if entry.encrypted:
        if key is None:
            raise SceneVideoError("this recording is encrypted, and the room was not given its passphrase")
        try:
            data = crypto.decrypt(data, key, Path(entry.file))
        except crypto.CryptoError:
            raise SceneVideoError(f"segment {entry.segment} cannot be decrypted") from None
    video: list[tuple[int, bytes, bool]] = []
    audio: list[tuple[int, int, bytes]] = []
    try:
        with av.open(io.BytesIO(data), "r", format="matroska") as container:
            vstream = container.streams.video[0] if container.streams.video else None
            astream = container.streams.audio[0] if container.streams.audio else None
            video_config = bytes(vstream.codec_context.extradata or b"") if vstream is not None else None
            audio_config = bytes(astream.codec_context.extradata or b"") if astream is not None else None
            width = int(vstream.codec_context.width) if vstream is not None else 0
            height = int(vstream.codec_context.height) if vstream is not None else 0
            for packet in container.demux():
                if packet.size == 0 or packet.pts is None:
                    continue
                ms = int(round(float(packet.pts * packet.time_base) * 1000))
                if packet.stream is vstream:
                    video.append((ms, bytes(packet), bool(packet.is_keyframe)))
                elif packet.stream is astream:
                    length = int(round(float((packet.duration or 0) * packet.time_base) * 1000)) or 20
                    audio.append((ms, length, bytes(packet)))
    except av.FFmpegError:
        raise SceneVideoError(f"segment {entry.segment} is damaged") from None
    if video and not video_config:
        raise SceneVideoError(f"segment {entry.segment} has no picture settings (avcC)")
    if video and not video[0][2]:
        raise SceneVideoError(f"segment {entry.segment} does not start with a key frame")
    return _Packets(video, audio, video_config or None, audio_config or None, width, height)


def _reorder_delay(packets: _Packets) -> int:
    """How far (ms) decoding runs ahead of presentation in this segment (B-frames): the composition
    offsets are made non-negative by adding it."""
    decode = sorted(p[0] for p in packets.video)
    return max((decode[i] - pts for i, (pts, _, _) in enumerate(packets.video)), default=0)


def _video_samples(fragment: _Fragment, packets: _Packets) -> list[tuple[int, int, int, int]]:
    """(duration, size, flags, composition offset) of each picture, in decoding order."""
    base = fragment.video_base - min(p[0] for p in packets.video)
    decode = [base + pts for pts in sorted(p[0] for p in packets.video)]
    samples = []
    for i, (pts, data, key) in enumerate(packets.video):
        following = decode[i + 1] if i + 1 < len(decode) else fragment.video_end
        flags = 0x02000000 if key else 0x01010000  # depends on no other / depends on others, not a sync sample
        samples.append((max(1, following - decode[i]), len(data), flags, max(0, base + pts + fragment.delay - decode[i])))
    return samples


def _build_fragment(sequence: int, fragment: _Fragment, packets: _Packets, with_audio: bool) -> bytes:
    """One `moof` + `mdat` for a segment's packets, laid out by `fragment`."""
    if len(packets.video) != fragment.video_count or (with_audio and len(packets.audio) != fragment.audio_count):
        raise SceneVideoError(f"segment {fragment.entry.segment} changed while it was being shown")
    video = _video_samples(fragment, packets) if packets.video else []
    audio = [(length * AUDIO_SCALE // 1000, len(data)) for _, length, data in packets.audio] if with_audio else []
    video_bytes = sum(size for _, size, _, _ in video)

    def moof(video_offset: int, audio_offset: int) -> bytes:
        trafs = []
        if video:
            trun = struct.pack(">Ii", len(video), video_offset) + b"".join(
                struct.pack(">IIII", *sample) for sample in video)
            trafs.append(_box(b"traf",
                              _full(b"tfhd", 0, 0x020000, struct.pack(">I", VIDEO_TRACK)),
                              _full(b"tfdt", 1, 0, struct.pack(">Q", fragment.video_base)),
                              _full(b"trun", 0, 0x000F01, trun)))
        if audio:
            trun = struct.pack(">Ii", len(audio), audio_offset) + b"".join(struct.pack(">II", *s) for s in audio)
            trafs.append(_box(b"traf",
                              _full(b"tfhd", 0, 0x020000, struct.pack(">I", AUDIO_TRACK)),
                              _full(b"tfdt", 1, 0, struct.pack(">Q", fragment.audio_base)),
                              _full(b"trun", 0, 0x000301, trun)))
        return _box(b"moof", _full(b"mfhd", 0, 0, struct.pack(">I", sequence)), *trafs)

    length = len(moof(0, 0))
    head = moof(length + 8, length + 8 + video_bytes)
    payload = [data for _, data, _ in packets.video] + ([data for _, _, data in packets.audio] if with_audio else [])
    return head + _box(b"mdat", *payload)


def _init_segment(packets: _Packets, audio_config: bytes | None, duration_ms: int, delay: int) -> bytes:
    """`ftyp` and `moov`: the tracks, with no samples of their own (they are all in fragments)."""
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isom", b"iso6", b"avc1", b"mp41")
    mvhd = _full(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, VIDEO_SCALE, duration_ms),
                 struct.pack(">IH", 0x00010000, 0x0100), b"\0" * 10, _MATRIX, b"\0" * 24,
                 struct.pack(">I", AUDIO_TRACK + 1))
    dinf = _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1), _full(b"url ", 0, 1)))
    empty_tables = [_full(b"stts", 0, 0, struct.pack(">I", 0)), _full(b"stsc", 0, 0, struct.pack(">I", 0)),
                    _full(b"stsz", 0, 0, struct.pack(">II", 0, 0)), _full(b"stco", 0, 0, struct.pack(">I", 0))]

    def trak(track: int, scale: int, handler: bytes, name: bytes, media_header: bytes, entry: bytes,
             volume: int, width: int, height: int, edits: bytes = b"") -> bytes:
        tkhd = _full(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, track, 0, duration_ms), b"\0" * 8,
                     struct.pack(">hhhH", 0, 0, volume, 0), _MATRIX, struct.pack(">II", width << 16, height << 16))
        mdhd = _full(b"mdhd", 0, 0, struct.pack(">IIII", 0, 0, scale, 0), struct.pack(">HH", 0x55C4, 0))  # und
        hdlr = _full(b"hdlr", 0, 0, struct.pack(">I", 0), handler, b"\0" * 12, name + b"\0")
        stsd = _full(b"stsd", 0, 0, struct.pack(">I", 1), entry)
        minf = _box(b"minf", media_header, dinf, _box(b"stbl", stsd, *empty_tables))
        return _box(b"trak", tkhd, edits, _box(b"mdia", mdhd, hdlr, minf))

    avc1 = _box(b"avc1", b"\0" * 6, struct.pack(">H", 1), b"\0" * 16,
                struct.pack(">HHIIIH", packets.width, packets.height, 0x00480000, 0x00480000, 0, 1),
                b"\0" * 32, struct.pack(">Hh", 0x0018, -1), _box(b"avcC", packets.video_config or b""))
    # The edit list starts the picture `delay` into its media: the times the camera gave, in step with the sound.
    edits = _box(b"edts", _full(b"elst", 0, 0, struct.pack(">IIiHH", 1, duration_ms, delay, 1, 0)))
    traks = [trak(VIDEO_TRACK, VIDEO_SCALE, b"vide", b"Picture", _full(b"vmhd", 0, 1, b"\0" * 8), avc1, 0,
                  packets.width, packets.height, edits)]
    trexes = [_full(b"trex", 0, 0, struct.pack(">IIIII", VIDEO_TRACK, 1, 0, 0, 0))]
    if audio_config is not None:
        traks.append(trak(AUDIO_TRACK, AUDIO_SCALE, b"soun", b"Sound", _full(b"smhd", 0, 0, b"\0" * 4),
                          _opus_entry(audio_config), 0x0100, 0, 0))
        trexes.append(_full(b"trex", 0, 0, struct.pack(">IIIII", AUDIO_TRACK, 1, 0, 0, 0)))
    mvex = _box(b"mvex", _full(b"mehd", 0, 0, struct.pack(">I", duration_ms)), *trexes)
    return ftyp + _box(b"moov", mvhd, *traks, mvex)


def _opus_entry(head: bytes) -> bytes:
    """An `Opus` sample entry with its `dOps` box, from Matroska's OpusHead."""
    if len(head) < 19 or not head.startswith(b"OpusHead"):
        raise SceneVideoError("the sound's settings cannot be read")
    channels = head[9]
    pre_skip, rate, gain = struct.unpack_from("<HIh", head, 10)
    family = head[18]
    dops = _box(b"dOps", struct.pack(">BBHIhB", 0, channels, pre_skip, rate, gain, family),
                head[19:] if family else b"")
    return _box(b"Opus", b"\0" * 6, struct.pack(">H", 1), b"\0" * 8,
                struct.pack(">HHHHI", channels, 16, 0, 0, AUDIO_SCALE << 16), dops)


def _sidx(fragments: list[_Fragment], total_ms: int) -> bytes:
    """Where each fragment is and how long it lasts, so a seek asks for the right bytes at once."""
    references = []
    for i, fragment in enumerate(fragments):
        following = fragments[i + 1].video_base if i + 1 < len(fragments) else total_ms
        references.append(struct.pack(">III", fragment.size & 0x7FFFFFFF, max(0, following - fragment.video_base),
                                      0x90000000))  # starts with a sync sample, SAP type 1
    first = fragments[0].video_base if fragments else 0
    return _full(b"sidx", 1, 0, struct.pack(">IIQQHH", VIDEO_TRACK, VIDEO_SCALE, first, 0, 0, len(fragments)),
                 *references)


# ----- the scene's file ----------------------------------------------------------------------------------


class SceneVideo:
    """One scene's MP4, laid out once (`SceneVideo(folder, segments, key)` reads every segment: call it
    from a worker thread), then read by byte ranges with `chunks`."""

    content_type = "video/mp4"

    def __init__(self, folder: Path, segments: Sequence[Any], key: Any = None):
        if not segments:
            raise SceneVideoError("this scene has no recording")
        if len(segments) > MAX_FRAGMENTS:
            raise SceneVideoError("this scene is too long to show on a phone")
        self.folder = Path(folder)
        self.key = key
        self._lock = threading.Lock()
        self._recent: OrderedDict[int, bytes] = OrderedDict()
        fragments: list[_Fragment] = []
        first: _Packets | None = None
        audio_config: bytes | None = None
        start = 0.0
        audio_next = 0
        delay = 0
        for entry in segments:
            packets = _read_packets(self.folder, entry, key)
            if packets.video:
                if first is None:
                    first = packets
                elif (packets.video_config, packets.width, packets.height) != (first.video_config, first.width, first.height):
                    raise SceneVideoError(f"the picture changes format at segment {entry.segment}")
            if audio_config is None and packets.audio_config:
                audio_config = packets.audio_config
            at_ms = int(round(start * 1000))
            video_base = at_ms + (min(p[0] for p in packets.video) if packets.video else 0)
            audio_base = audio_next
            if packets.audio:
                wanted = int(round((start + packets.audio[0][0] / 1000) * AUDIO_SCALE))
                audio_base = max(audio_next, wanted)  # never back in time; a real gap stays a gap
                audio_next = audio_base + sum(length * AUDIO_SCALE // 1000 for _, length, _ in packets.audio)
            fragment = _Fragment(entry, start, video_base, video_base + 1, audio_base, len(packets.video),
                                 len(packets.audio))
            if packets.video:  # its size does not depend on the times in it: measured now, built again when asked for
                delay = max(delay, _reorder_delay(packets))
                fragment.size = len(_build_fragment(1, fragment, packets, True))
                fragments.append(fragment)
            start += max(0.0, float(entry.end) - float(entry.start))
        if first is None:
            raise SceneVideoError("this scene's recording has no picture")
        self.duration = start
        total_ms = int(round(start * 1000))
        for i, fragment in enumerate(fragments):
            following = fragments[i + 1].video_base if i + 1 < len(fragments) else total_ms
            fragment.video_end = max(following, fragment.video_base + 1)
            fragment.delay = delay
        self.with_audio = audio_config is not None  # else no segment had sound: they were measured without
        self._fragments = fragments
        head = _init_segment(first, audio_config, total_ms, delay)
        self._head = head + _sidx(fragments, total_ms)
        offset = len(self._head)
        for fragment in fragments:
            fragment.offset = offset
            offset += fragment.size
        self.size = offset
        digest = hashlib.sha256(repr([(s.segment, s.file, s.bytes) for s in segments]).encode()).hexdigest()[:32]
        self.etag = f'"{digest}"'

    def _fragment(self, index: int) -> bytes:
        with self._lock:
            built = self._recent.get(index)
            if built is not None:
                self._recent.move_to_end(index)
                return built
        fragment = self._fragments[index]
        built = _build_fragment(index + 1, fragment, _read_packets(self.folder, fragment.entry, self.key), self.with_audio)
        if len(built) != fragment.size:
            raise SceneVideoError(f"segment {fragment.entry.segment} changed while it was being shown")
        with self._lock:
            self._recent[index] = built
            while len(self._recent) > KEEP_FRAGMENTS:
                self._recent.popitem(last=False)
        return built

    def chunks(self, first: int, last: int) -> Iterator[bytes]:
        """Bytes `first` to `last` (inclusive) of the file, one piece per fragment; each `next` may
        read and decrypt a segment, so call it from a worker thread."""
        if not 0 <= first <= last < self.size:
            raise ValueError("range outside the file")
        if first < len(self._head):
            yield self._head[first:min(last + 1, len(self._head))]
        offsets = [f.offset for f in self._fragments]
        import bisect

        index = max(0, bisect.bisect_right(offsets, first) - 1)
        while index < len(self._fragments):
            fragment = self._fragments[index]
            if fragment.offset > last:
                return
            if fragment.offset + fragment.size > first:
                data = self._fragment(index)
                begin = max(first, fragment.offset) - fragment.offset
                end = min(last + 1, fragment.offset + fragment.size) - fragment.offset
                yield data[begin:end]
            index += 1
