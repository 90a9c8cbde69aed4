"""A large, seeded, kernel-list-shaped Maildir for the benchmarks.

``generate(out_dir, messages, seed)`` writes exactly ``messages`` files into
``out_dir/cur`` and returns a :class:`GeneratedInfo` naming the messages the
benchmarks look for (the 1,000-message thread, the 40-patch series with 300
replies, the 20,000-line patch, the malformed ones). The same seed gives the
same bytes. Messages are built as byte strings directly: building an
``EmailMessage`` per message would make 100,000 files take many minutes.

What the mailbox holds:
  * patch series (git-format-patch bodies: commit message, Signed-off-by,
    diffstat, C hunks with consistent @@ counts), with cover letters and
    v2..vN resends, each version its own thread;
  * review replies quoting hunks with inline comments and trailers
    (Reviewed-by/Acked-by/Tested-by), some on the cover letter for the series;
  * plain discussions; one 1,000-message thread; one 40-patch series with
    300 replies; one 20,000-line patch;
  * malformed mail: a broken MIME boundary, an unknown charset, no Date, a
    reply whose parent is not in the mailbox, no Message-ID.

Below 100,000 messages the special threads shrink in proportion (with
floors), so a tiny mailbox for tests has the same shape.
"""
from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kreview.core.indexing import index_maildir

REFERENCE_SIZE = 100_000
INFO_NAME = "generated.json"

# Dates are spread over six years, like a list archive a reviewer keeps.
EPOCH_START = 1_546_300_800  # 2019-01-01
EPOCH_END = 1_735_689_600  # 2025-01-01


@dataclass
class GeneratedInfo:
    messages: int
    seed: int
    maildir: str
    threads: int = 0  # messages that start a thread (no In-Reply-To)
    series: int = 0
    big_thread_root: str = ""
    big_thread_size: int = 0
    big_series_cover: str = ""
    big_series_patches: int = 0
    big_series_replies: int = 0
    big_patch: str = ""
    big_patch_lines: int = 0  # lines of the whole message (the diff alone adds the planned count)
    newest_message: str = ""
    newest_subject: str = ""
    malformed: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> GeneratedInfo:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def info_path(out_dir: Path) -> Path:
    """Where the JSON describing ``out_dir`` lives: next to the maildir."""
    return out_dir.parent / INFO_NAME


@dataclass
class Msg:
    """One message before it is written: the bytes and what the bench needs to know."""

    message_id: str  # without brackets
    date: int
    data: bytes


def _scaled(messages: int, full: int, floor: int) -> int:
    return max(floor, round(full * min(1.0, messages / REFERENCE_SIZE)))


# -- the words of the mailbox ------------------------------------------------

_FIRST = (
    "Alice Andrew Arnd Bart Boris Chris Christoph Dan Daniel Dave David Eric Florian Greg "
    "Hannes Heiko Ingo Jakub Jan Jason Jens Joe Johannes Jonathan Josef Kees Konrad Lorenzo "
    "Marc Mark Matthew Michal Mike Miklos Neil Paolo Peter Rafael Rob Russell Sasha Sean "
    "Stephen Steven Takashi Ted Thomas Tony Vlastimil Will Yury Zhang Wei Li Ming Yan Xin "
    "Hao Jun Krzysztof Lukas Maciej Pawel Sergey Dmitry Alexei Andrii Tetsuo Masahiro Geert "
    "Jörg Uwe Paweł Rafał Søren Ilpo Jiří Frédéric José Björn"
).split()
_LAST = (
    "Bergmann Brauner Cox Chinner Torvalds Hellwig Williams Jiang Verma Weiny Kroah-Hartman "
    "Gleixner Molnar Zijlstra Kicinski Abeni Axboe Kara Hocko Babka Morton Wilcox Howells "
    "Layton Rostedt Hansen Luck Deacon Zyngier Rutland Cook Herring Jeffery Wysocki Tso "
    "Levin Corbet Iwai Kozlowski Wunner Szmigiero Starovoitov Nakryiko Yamada Uytterhoeven "
    "Rödel Kleine-König Jonsson Järvinen Slaby Weisbecker Pérez Töpel Chen Wang Liu Zhao Sun "
    "Huang Xu Wu Zhou Lin Gao Ma Yang Hu Guo He Shi Song Tang Qian"
).split()
_DOMAINS = (
    "kernel.org intel.com redhat.com suse.com google.com arm.com linaro.org oracle.com "
    "huawei.com amd.com nvidia.com ibm.com linux.ibm.com meta.com bytedance.com alibaba.com "
    "gmail.com infradead.org linutronix.de pengutronix.de collabora.com samsung.com "
    "microsoft.com broadcom.com qualcomm.com kylinos.cn loongson.cn"
).split()
_TZ = (0, 0, 60, 60, 120, -300, -420, -240, 480, 480, 330, 540, 600, -480, 180)


@dataclass(frozen=True)
class Person:
    name: str
    local: str
    domain: str
    address: str  # as it appears in From/To/Cc: RFC 2047 encoded when not ASCII
    tz: int  # minutes east of UTC


@dataclass(frozen=True)
class Subsystem:
    prefix: str  # subject prefix ("mm/vmscan")
    list_address: str
    files: tuple[str, ...]
    words: tuple[str, ...]  # identifiers that appear in its code


SUBSYSTEMS = tuple(
    Subsystem(prefix, lst, tuple(files.split()), tuple(words.split()))
    for prefix, lst, files, words in (
        ("mm", "linux-mm@kvack.org", "mm/page_alloc.c mm/vmscan.c mm/memory.c mm/huge_memory.c include/linux/mm.h", "folio page zone lruvec pgdat gfp_mask nr_pages vma mmap_lock"),
        ("mm/slub", "linux-mm@kvack.org", "mm/slub.c mm/slab.h mm/slab_common.c", "slab kmem_cache freelist cpu_slab object_size"),
        ("net: ethernet", "netdev@vger.kernel.org", "drivers/net/ethernet/intel/ice/ice_main.c drivers/net/ethernet/mellanox/mlx5/core/en_rx.c", "skb netdev napi rx_ring tx_desc queue_id budget"),
        ("tcp", "netdev@vger.kernel.org", "net/ipv4/tcp.c net/ipv4/tcp_input.c include/net/tcp.h", "sk tp skb snd_cwnd rcv_nxt seq ack_seq"),
        ("bpf", "bpf@vger.kernel.org", "kernel/bpf/verifier.c kernel/bpf/syscall.c tools/testing/selftests/bpf/prog_tests/verifier.c", "env insn reg prog btf map_fd off_reg"),
        ("sched/fair", "linux-kernel@vger.kernel.org", "kernel/sched/fair.c kernel/sched/core.c kernel/sched/sched.h", "rq cfs_rq se curr load_avg vruntime cpu sd"),
        ("ext4", "linux-ext4@vger.kernel.org", "fs/ext4/inode.c fs/ext4/extents.c fs/ext4/super.c", "inode handle ext4_lblk_t map sb bh"),
        ("btrfs", "linux-btrfs@vger.kernel.org", "fs/btrfs/inode.c fs/btrfs/extent-tree.c fs/btrfs/volumes.c", "fs_info trans root path leaf bytenr"),
        ("xfs", "linux-xfs@vger.kernel.org", "fs/xfs/xfs_inode.c fs/xfs/libxfs/xfs_bmap.c fs/xfs/xfs_log.c", "ip tp mp bno agno irec"),
        ("nvdimm", "nvdimm@lists.linux.dev", "drivers/nvdimm/pmem.c drivers/nvdimm/region_devs.c drivers/nvdimm/namespace_devs.c", "nd_region ndns pmem dev res nd_mapping"),
        ("cxl/region", "linux-cxl@vger.kernel.org", "drivers/cxl/core/region.c drivers/cxl/core/hdm.c drivers/cxl/cxl.h", "cxlr cxled cxld port hpa_range p"),
        ("drm/i915", "intel-gfx@lists.freedesktop.org", "drivers/gpu/drm/i915/display/intel_display.c drivers/gpu/drm/i915/gt/intel_gt.c", "i915 crtc_state gt engine uncore wakeref"),
        ("drm/amdgpu", "amd-gfx@lists.freedesktop.org", "drivers/gpu/drm/amd/amdgpu/amdgpu_device.c drivers/gpu/drm/amd/amdgpu/gfx_v11_0.c", "adev ring ib fence vmid bo"),
        ("arm64: mm", "linux-arm-kernel@lists.infradead.org", "arch/arm64/mm/mmu.c arch/arm64/include/asm/pgtable.h", "pte pmd addr pgprot ptep end"),
        ("x86/mm", "linux-kernel@vger.kernel.org", "arch/x86/mm/init_64.c arch/x86/mm/pat/set_memory.c", "pte pmd cpa start end pgprot"),
        ("KVM: x86", "kvm@vger.kernel.org", "arch/x86/kvm/x86.c arch/x86/kvm/mmu/mmu.c arch/x86/kvm/vmx/vmx.c", "vcpu kvm gfn sp spte root_hpa"),
        ("usb: dwc3", "linux-usb@vger.kernel.org", "drivers/usb/dwc3/core.c drivers/usb/dwc3/gadget.c", "dwc dep req trb event reg"),
        ("PCI", "linux-pci@vger.kernel.org", "drivers/pci/pci.c drivers/pci/probe.c drivers/pci/quirks.c", "dev bus bridge bar pos ctrl"),
        ("iio: adc", "linux-iio@vger.kernel.org", "drivers/iio/adc/ad7124.c drivers/iio/adc/stm32-adc.c", "indio_dev st chan val reg scan"),
        ("rust", "rust-for-linux@vger.kernel.org", "rust/kernel/lib.rs rust/kernel/sync/arc.rs rust/helpers.c", "ptr inner data refcount layout"),
    )
)

_VERBS = ("fix", "add", "remove", "convert", "use", "introduce", "drop", "simplify", "refactor", "avoid", "handle",
          "rework", "clean up", "factor out", "document", "export")
_OBJECTS = (
    "NULL pointer dereference in", "refcount leak in", "missing lock in", "a helper for",
    "support for", "error path of", "race between {a} and", "use-after-free in",
    "off-by-one in", "integer overflow in", "dead code in", "kernel-doc for", "WARN_ON in",
    "sparse warning in", "bounds check in", "the {a} fast path in",
)
_PROSE = (
    "The current code assumes that the {a} is always initialised before {b}() runs, "
    "but that is not the case when the device is hot-unplugged.",
    "This was found by syzkaller and reproduced on a 64-core machine under memory pressure.",
    "I'm not sure this is the right layer to handle it; {b}() seems like a better place.",
    "Could you share the numbers from the benchmark you ran? The changelog only says it is faster.",
    "With this change the {a} is only touched under the lock, which also makes lockdep happy.",
    "No functional change intended.",
    "We have been carrying this patch internally for a while and it survived our CI.",
    "This breaks the build with CONFIG_{C}=n, please check with allmodconfig.",
    "Makes sense to me. I had a similar patch but never got around to sending it.",
    "I think we also need to update the documentation in Documentation/{p}/ accordingly.",
    "Why not just return early here instead of adding another level of indentation?",
    "The {a} can be NULL if the allocation in {b}() failed, so this needs a check.",
    "Applied to the for-next branch, thanks!",
    "Let's wait for the maintainer to comment before reworking the whole series again.",
    "Nit: the subject prefix should match the rest of the directory.",
    "This looks like it regressed with the folio conversion in the last cycle.",
)
_COMMENTS = (
    "This needs a comment explaining why the lock is not needed here.",
    "Shouldn't this be {b}() instead?", "Nit: please keep the declarations in reverse xmas tree order.",
    "This leaks {a} on the error path.", "Can {a} be NULL here?", "Why is this change needed?",
    "Please split this into a separate patch.", "Looks good.", "The return value is ignored.",
    "This should be WARN_ON_ONCE(), otherwise it floods the log.", "Unrelated whitespace change.",
    "Missing READ_ONCE() here, {a} can change under us.", "Same as above.",
)


def make_people(rng: random.Random, count: int) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < count:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        domain = rng.choice(_DOMAINS)
        local = _ascii(f"{first}.{last}").lower() if rng.random() < 0.7 else _ascii(first[0] + last).lower()
        if f"{local}@{domain}" in seen:
            local += str(len(people))
        seen.add(f"{local}@{domain}")
        name = f"{first} {last}"
        shown = name if name.isascii() else _rfc2047(name)
        if "-" in shown and name.isascii() and rng.random() < 0.5:
            shown = f'"{name}"'
        people.append(Person(name, local, domain, f"{shown} <{local}@{domain}>", rng.choice(_TZ)))
    return people


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _rfc2047(text: str) -> str:
    import base64

    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def rfc2822(epoch: int, tz_minutes: int) -> str:
    t = time.gmtime(epoch + tz_minutes * 60)
    sign = "+" if tz_minutes >= 0 else "-"
    off = abs(tz_minutes)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{off // 60:02d}{off % 60:02d}"
    )


def _fill(rng: random.Random, template: str, words=("ctx", "lock", "buf")) -> str:
    return template.format(
        a=rng.choice(words), b=rng.choice(words) + "_" + rng.choice(("init", "get", "put", "free", "alloc", "update")),
        C=rng.choice(("PM", "SMP", "NUMA", "DEBUG_FS", "SYSFS", "MODULES")), p=rng.choice(("mm", "admin-guide", "networking", "filesystems")),
    )


def topic(rng: random.Random, subsys: Subsystem) -> str:
    return f"{subsys.prefix}: {_fill(rng, rng.choice(('rework {a} handling', 'add {b}() infrastructure', 'convert {a} users to folios', 'fix {a} lifetime issues', 'speed up {b}()', 'cleanups for {a}')), subsys.words)}"


def patch_title(rng: random.Random, subsys: Subsystem) -> str:
    obj = _fill(rng, rng.choice(_OBJECTS), subsys.words)
    func = rng.choice(subsys.words) + "_" + rng.choice(("init", "get", "put", "free", "alloc", "update", "flush", "lookup"))
    return f"{subsys.prefix}: {rng.choice(_VERBS)} {obj} {func}()"


def discussion_subject(rng: random.Random, subsys: Subsystem) -> str:
    return rng.choice((
        f"{subsys.prefix}: question about {rng.choice(subsys.words)} locking",
        f"[BUG] {subsys.prefix}: WARNING in {rng.choice(subsys.words)}_{rng.choice(('free', 'get', 'init'))}",
        f"[syzbot] KASAN: slab-use-after-free Read in {rng.choice(subsys.words)}_put",
        f"[GIT PULL] {subsys.prefix} fixes for 6.{rng.randint(1, 12)}-rc{rng.randint(1, 7)}",
        f"Re: {subsys.prefix} regression since v6.{rng.randint(1, 12)}",
        f"[ANNOUNCE] {subsys.prefix} BoF at LPC",
    ))


def prose(rng: random.Random, paragraphs: int, words=("ctx", "lock", "buf", "dev")) -> str:
    out = []
    for _ in range(paragraphs):
        out.append(" ".join(_fill(rng, rng.choice(_PROSE), words) for _ in range(rng.randint(1, 3))))
    return "\n\n".join(_wrap(p) for p in out) + "\n"


def _wrap(text: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


def signature(person: Person) -> str:
    return f"\n-- \n{person.name}\n"


def make_c_lines(rng: random.Random, count: int) -> list[str]:
    idents = "ret err dev ctx priv data buf len idx node entry flags page folio skb vma inode reg val state".split()
    funcs = "kmalloc kfree spin_lock spin_unlock mutex_lock mutex_unlock list_add list_del memcpy memset dev_err pr_debug WARN_ON rcu_read_lock rcu_read_unlock put_device get_device refcount_inc".split()
    structs = "device page folio sk_buff inode file work_struct list_head mutex resource".split()
    templates = (
        "\t{i} = {f}({j}, {n});", "\tif (!{i})", "\t\treturn -{e};", "\t{f}(&{i}->lock);",
        "\tstruct {s} *{i} = {j}->{k};", "\tint {i};", "\tunsigned long {i}, {j};",
        "\tfor ({i} = 0; {i} < {j}; {i}++) {{", "\t\t{i}[{j}] = {n};", "\t}}", "}}", "",
        "\t/* {c} */", "static int {f2}(struct {s} *{i})", "{{", "\tif ({i} & {N})", "\t\tgoto out;",
        "out:", "\treturn {i};", "\t{i}->{k} = {j};", "\tif (WARN_ON({i} > {j}))",
        "\tlist_for_each_entry({i}, &{j}->{k}, node) {{", "#define {N}\t\t{h}",
        "\t{f}({i});", "\tret = {f2}({i}, {j});", "\tif (ret)", "\t\tgoto err_{k};",
    )
    comments = ("caller holds the lock", "keep in sync with the hardware", "see the comment above",
                "paired with smp_store_release()", "can't fail", "TODO: handle the error", "fast path")
    errnos = ("ENOMEM", "EINVAL", "EBUSY", "ENODEV", "EAGAIN", "EIO", "EOPNOTSUPP")
    out = []
    for _ in range(count):
        i, j, k = rng.sample(idents, 3)
        out.append(rng.choice(templates).format(
            i=i, j=j, k=k, f=rng.choice(funcs), f2=f"{i}_{rng.choice(('setup', 'probe', 'release', 'update'))}",
            s=rng.choice(structs), n=rng.randint(0, 4096), e=rng.choice(errnos), c=rng.choice(comments),
            N=f"{i.upper()}_{j.upper()}_MASK", h=hex(rng.getrandbits(16)),
        ))
    return out


def _hunks(rng: random.Random, c_lines: list[str], count: int) -> tuple[list[str], int, int]:
    """Unified-diff hunks with consistent @@ counts; returns (lines, added, removed)."""
    lines: list[str] = []
    added = removed = 0
    old_start = rng.randint(10, 400)
    for _ in range(count):
        body: list[str] = []
        old = new = 0
        for _ in range(3):
            body.append(" " + rng.choice(c_lines))
        minus, plus = rng.randint(0, 6), rng.randint(1, 10)
        body += ["-" + rng.choice(c_lines) for _ in range(minus)]
        body += ["+" + rng.choice(c_lines) for _ in range(plus)]
        for _ in range(3):
            body.append(" " + rng.choice(c_lines))
        old, new = 6 + minus, 6 + plus
        func = rng.choice([l for l in c_lines[:200] if l.startswith("static")] or ["static int f(void)"])
        lines.append(f"@@ -{old_start},{old} +{old_start + added - removed},{new} @@ {func}")
        lines += body
        added += plus
        removed += minus
        old_start += old + rng.randint(20, 300)
    return lines, added, removed


def _diffstat(files: list[tuple[str, int, int]]) -> list[str]:
    width = max(len(name) for name, _, _ in files)
    out = []
    for name, plus, minus in files:
        total = plus + minus
        bar_plus = min(plus, 50)
        bar_minus = min(minus, 50 - bar_plus) if total > 50 else minus
        out.append(f" {name:<{width}} | {total:>3} {'+' * bar_plus}{'-' * bar_minus}")
    plus = sum(f[1] for f in files)
    minus = sum(f[2] for f in files)
    n = len(files)
    out.append(
        f" {n} file{'s' if n > 1 else ''} changed, {plus} insertion{'s' if plus != 1 else ''}(+), "
        f"{minus} deletion{'s' if minus != 1 else ''}(-)"
    )
    return out


def patch_body(rng, person: Person, subsys: Subsystem, title: str, version: int,
               c_lines: list[str], *, big_lines: int = 0) -> str:
    parts = [prose(rng, rng.randint(1, 3), subsys.words)]
    if rng.random() < 0.2:
        parts.append(f"Fixes: {rng.getrandbits(48):012x} (\"{subsys.prefix}: {rng.choice(_VERBS)} {rng.choice(subsys.words)}\")\n")
    if rng.random() < 0.1:
        parts.append(f"Reported-by: syzbot+{rng.getrandbits(40):010x}@syzkaller.appspotmail.com\n")
    parts.append(f"Signed-off-by: {person.name} <{person.local}@{person.domain}>\n---\n")
    if version > 1:
        parts.append("".join(f"v{v}: - {_fill(rng, rng.choice(_COMMENTS), subsys.words).lower()}\n" for v in range(version, 1, -1)) + "\n")
    files: list[tuple[str, int, int]] = []
    diff: list[str] = []
    if big_lines:
        name = "drivers/gpu/drm/amd/include/asic_reg/gc/gc_12_0_0_sh_mask.h"
        count = big_lines  # insertions, as the diffstat will say
        added = [f"+#define {rng.choice(('GC', 'SDMA0', 'CP', 'RLC', 'GRBM'))}_{rng.choice(subsys.words).upper()}"
                 f"_{i:05d}__{rng.choice(('ENABLE', 'MODE', 'SIZE', 'BASE'))}_MASK\t0x{rng.getrandbits(32):08x}L"
                 for i in range(count)]
        diff += [f"diff --git a/{name} b/{name}", "new file mode 100644",
                 f"index 000000000000..{rng.getrandbits(48):012x}", "--- /dev/null", f"+++ b/{name}",
                 f"@@ -0,0 +1,{count} @@"] + added
        files.append((name, count, 0))
    else:
        for name in rng.sample(subsys.files, rng.randint(1, min(3, len(subsys.files)))):
            hunk_lines, plus, minus = _hunks(rng, c_lines, rng.randint(1, 4))
            diff += [f"diff --git a/{name} b/{name}",
                     f"index {rng.getrandbits(48):012x}..{rng.getrandbits(48):012x} 100644",
                     f"--- a/{name}", f"+++ b/{name}"] + hunk_lines
            files.append((name, plus, minus))
    parts.append("\n".join(_diffstat(files)) + "\n\n")
    parts.append("\n".join(diff) + "\n-- \n2.43.0\n")
    return "\n".join(parts[:1]) + "\n" + "".join(parts[1:])


def cover_letter(rng, person: Person, subsys: Subsystem, topic_: str, titles: list[str], version: int,
                 c_lines: list[str]) -> str:
    parts = ["Hi,\n\n", prose(rng, rng.randint(2, 4), subsys.words), "\n"]
    if version > 1:
        parts.append(f"Changes in v{version}:\n" + "".join(
            f"  - {_fill(rng, rng.choice(_COMMENTS), subsys.words)}\n" for _ in range(rng.randint(1, 4))) + "\n")
        parts.append(f"Link to v{version - 1}: https://lore.kernel.org/r/{rng.getrandbits(64):016x}@{person.domain}\n\n")
    parts.append(f"{person.name} ({len(titles)}):\n")
    parts += [f"  {t[len(subsys.prefix) + 2:]}\n" for t in titles]
    parts.append("\n")
    files = [(f, rng.randint(1, 120), rng.randint(0, 60)) for f in subsys.files]
    parts.append("\n".join(_diffstat(files)) + "\n\n-- \n2.43.0\n")
    return "".join(parts)


def reply_body(rng, person: Person, parent_name: str, parent_body: str, *, parent_date: int,
               trailer: bool, for_series: bool) -> str:
    out = [f"On {rfc2822(parent_date - rng.randint(600, 86400), 0)}, {parent_name} wrote:\n"]
    diff_at = parent_body.find("\n@@ ")
    if diff_at >= 0:
        # Quote one hunk, with comments between its lines, as reviewers do.
        end = parent_body.find("\n@@ ", diff_at + 4)
        hunk = parent_body[diff_at + 1:end if end > 0 else diff_at + 4000].splitlines()[:40]
        step = max(3, len(hunk) // rng.randint(1, 3))
        for i in range(0, len(hunk), step):
            out += [f"> {line}\n" for line in hunk[i:i + step]]
            out.append("\n" + _wrap(_fill(rng, rng.choice(_COMMENTS))) + "\n\n")
    else:
        quoted = [line for line in parent_body.splitlines() if line and not line.startswith(("-- ", "On "))][:8]
        out += [f"> {line}\n" for line in quoted]
        out.append("\n" + prose(rng, rng.randint(1, 2)) + "\n")
    if trailer:
        kind = rng.choices(("Reviewed-by", "Acked-by", "Tested-by"), (6, 3, 1))[0]
        prefix = "For the series:\n\n" if for_series else ""
        out.append(f"{prefix}{kind}: {person.name} <{person.local}@{person.domain}>\n")
    out.append(signature(person))
    return "".join(out)



class _Writer:
    """Build messages of one mailbox: owns the RNG, the people and the id counter."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = make_people(rng, 2500)
        self.reviewers = self.people[:150]  # maintainers answer most reviews
        self.c_lines = make_c_lines(rng, 4000)
        self.counter = 0

    # -- identities --------------------------------------------------------

    def new_id(self, date: int, person: Person, git: int | None = None) -> str:
        self.counter += 1
        if git is not None:  # git send-email style: <date.pid-N-user@host>
            stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(date))
            return f"{stamp}.{self.counter}-{git}-{person.local}@{person.domain}"
        return f"{self.rng.getrandbits(64):016x}.{self.counter}@{person.domain}"

    def author(self) -> Person:
        # A few prolific authors, a long tail: index by a skewed draw.
        return self.people[int(len(self.people) * self.rng.random() ** 2.2)]

    def reviewer(self) -> Person:
        return self.rng.choice(self.reviewers)

    # -- headers -----------------------------------------------------------

    def headers(
        self,
        *,
        person: Person,
        subject: str,
        message_id: str | None,
        date: int | None,
        subsys: Subsystem,
        parent: str | None = None,
        references: list[str] | None = None,
        extra: str = "",
        content_type: str = "text/plain; charset=UTF-8",
        encoding: str = "8bit",
    ) -> str:
        rng = self.rng
        to = ", ".join(p.address for p in rng.sample(self.reviewers, rng.randint(1, 2)))
        cc_lists = [subsys.list_address, "linux-kernel@vger.kernel.org"]
        cc = ", ".join(cc_lists + [p.address for p in rng.sample(self.people, rng.randint(0, 4))])
        lines = [f"From: {person.address}"]
        if date is not None:
            lines.append(f"Date: {rfc2822(date, person.tz)}")
        lines.append(f"Subject: {subject}")
        if message_id is not None:
            lines.append(f"Message-ID: <{message_id}>")
        if parent is not None:
            lines.append(f"In-Reply-To: <{parent}>")
        if references:
            refs = references if len(references) <= 10 else references[:1] + references[-9:]
            lines.append("References: " + "\n ".join(f"<{r}>" for r in refs))
        lines.append(f"To: {to}")
        lines.append(f"Cc: {cc}")
        lines.append(f"List-Id: <{subsys.list_address.replace('@', '.')}>")
        lines.append("MIME-Version: 1.0")
        lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Transfer-Encoding: {encoding}")
        if extra:
            lines.append(extra)
        return "\n".join(lines) + "\n\n"

    def message(self, head: str, body: str, message_id: str, date: int) -> Msg:
        return Msg(message_id, date, (head + body).encode("utf-8", "surrogateescape"))

    # -- threads -----------------------------------------------------------

    def series(
        self,
        start: int,
        *,
        patches: int,
        versions: int,
        replies_per_version: int | None = None,
        big_patch_lines: int = 0,
    ) -> Iterator[tuple[str, Msg]]:
        """A patch series and its resends. Yields (role, Msg); roles: cover,
        patch, reply, big-patch."""
        rng = self.rng
        person = self.author()
        subsys = rng.choice(SUBSYSTEMS)
        subject_topic = topic(rng, subsys)
        titles = [patch_title(rng, subsys) for _ in range(patches)]
        rfc = rng.random() < 0.08
        date = start
        for version in range(1, versions + 1):
            tag = "RFC PATCH" if rfc and version == 1 else "PATCH"
            vtag = f" v{version}" if version > 1 else ""
            width = len(str(patches))
            has_cover = patches > 1 or rng.random() < 0.2
            # (message_id, subject, body for quoting, references, author name, is cover)
            thread: list[tuple[str, str, str, list[str], str, bool]] = []
            root: str | None = None
            if has_cover:
                cover_id = self.new_id(date, person, git=0)
                subject = f"[{tag}{vtag} {0:0{width}d}/{patches}] {subject_topic}"
                body = cover_letter(rng, person, subsys, subject_topic, titles, version, self.c_lines)
                head = self.headers(person=person, subject=subject, message_id=cover_id, date=date, subsys=subsys)
                yield "cover", self.message(head, body, cover_id, date)
                thread.append((cover_id, subject, body, [], person.name, True))
                root = cover_id
            for number, title in enumerate(titles, start=1):
                pdate = date + number
                pid = self.new_id(pdate, person, git=number)
                counter = f" {number:0{width}d}/{patches}" if patches > 1 else ""
                subject = f"[{tag}{vtag}{counter}] {title}"
                big = big_patch_lines if number == 1 and version == versions else 0
                body = patch_body(rng, person, subsys, title, version, self.c_lines, big_lines=big)
                refs = [root] if root else []
                head = self.headers(
                    person=person, subject=subject, message_id=pid, date=pdate, subsys=subsys,
                    parent=root, references=refs,
                    extra="X-Mailer: git-send-email 2.43.0",
                )
                yield ("big-patch" if big else "patch"), self.message(head, body, pid, pdate)
                thread.append((pid, subject, body, refs, person.name, False))
                if root is None:
                    root = pid
            count = replies_per_version
            if count is None:
                count = int(rng.expovariate(1.0) * (patches + 1) * 0.8)
            yield from self._replies(thread, count, date + 3600, subsys, trailers=True)
            date += rng.randint(7, 60) * 86400

    def discussion(self, start: int, size: int, *, rfc_subject: str | None = None) -> Iterator[tuple[str, Msg]]:
        rng = self.rng
        person = self.author()
        subsys = rng.choice(SUBSYSTEMS)
        subject = rfc_subject or discussion_subject(rng, subsys)
        root_id = self.new_id(start, person)
        body = prose(rng, rng.randint(2, 6)) + signature(person)
        head = self.headers(person=person, subject=subject, message_id=root_id, date=start, subsys=subsys)
        yield "root", self.message(head, body, root_id, start)
        thread = [(root_id, subject, body, [], person.name, False)]
        yield from self._replies(thread, size - 1, start + 600, subsys, trailers=False)

    def _replies(self, thread, count: int, date: int, subsys, *, trailers: bool) -> Iterator[tuple[str, Msg]]:
        """``count`` replies in a tree below the messages of ``thread``."""
        rng = self.rng
        first = len(thread)
        for _ in range(count):
            roll = rng.random()
            if roll < 0.55 or len(thread) == first:
                parent = thread[rng.randrange(first)]  # on a patch or the cover
            elif roll < 0.85:
                parent = thread[rng.randrange(max(first, len(thread) - 5), len(thread))]
            else:
                parent = rng.choice(thread)
            pid, psubject, pbody, prefs, pname, is_cover = parent
            date += int(rng.expovariate(1 / 5400)) + 30
            person = self.reviewer() if rng.random() < 0.7 else self.author()
            mid = self.new_id(date, person)
            subject = psubject if psubject.startswith("Re: ") else "Re: " + psubject
            body = reply_body(
                rng, person, pname, pbody, parent_date=date,
                trailer=trailers and rng.random() < 0.45,
                for_series=is_cover,
            )
            refs = prefs + [pid]
            head = self.headers(
                person=person, subject=subject, message_id=mid, date=date, subsys=subsys,
                parent=pid, references=refs,
            )
            yield "reply", self.message(head, body, mid, date)
            thread.append((mid, subject, body, refs, person.name, False))

    # -- malformed ---------------------------------------------------------

    def malformed(self, kind: str, date: int) -> tuple[str, Msg]:
        rng = self.rng
        person = self.author()
        subsys = rng.choice(SUBSYSTEMS)
        mid = self.new_id(date, person)
        subject = discussion_subject(rng, subsys)
        text = prose(rng, 2)
        if kind == "broken-boundary":
            head = self.headers(
                person=person, subject=subject, message_id=mid, date=date, subsys=subsys,
                content_type='multipart/mixed; boundary="=-=kbench-boundary=-="', encoding="7bit",
            )
            # The parts use a different boundary and the closing line is missing.
            body = (
                "This is a multi-part message in MIME format.\n\n"
                "--=-=kbench-boundry=-=\nContent-Type: text/plain; charset=UTF-8\n\n"
                f"{text}\n--=-=kbench-boundry=-=\nContent-Type: text/x-patch; name=fix.patch\n\n"
                + "\n".join(rng.sample(self.c_lines, 12)) + "\n"
            )
        elif kind == "unknown-charset":
            head = self.headers(
                person=person, subject=subject, message_id=mid, date=date, subsys=subsys,
                content_type="text/plain; charset=x-kbench-unknown-42",
            )
            body = text + "Gr\udcfc\udcdfe, \udce9t\udce9 \udcff\udcfe\n"  # raw 8-bit bytes
        elif kind == "no-date":
            head = self.headers(person=person, subject=subject, message_id=mid, date=None, subsys=subsys)
            body = text
        elif kind == "missing-parent":
            lost = f"lost-{rng.getrandbits(48):012x}@{person.domain}"
            head = self.headers(
                person=person, subject="Re: " + subject, message_id=mid, date=date, subsys=subsys,
                parent=lost, references=[lost],
            )
            body = f"On some day, someone wrote:\n> {text.splitlines()[0]}\n\nReplying to a message you never got.\n"
        elif kind == "no-message-id":
            head = self.headers(person=person, subject=subject, message_id=None, date=date, subsys=subsys)
            body = text
            mid = ""
        else:
            raise ValueError(f"unknown malformed kind {kind!r}")
        return kind, self.message(head, body, mid, date)


MALFORMED_KINDS = ("broken-boundary", "unknown-charset", "no-date", "missing-parent", "no-message-id")


def _plan(messages: int) -> dict[str, int]:
    return {
        "big_thread": _scaled(messages, 1000, 10),
        "big_series_patches": _scaled(messages, 40, 3),
        "big_series_replies": _scaled(messages, 300, 4),
        "big_patch_lines": _scaled(messages, 20_000, 300),
        "malformed_each": max(1, messages // 20_000),
    }


def generate(out_dir: Path, messages: int = REFERENCE_SIZE, seed: int = 1) -> GeneratedInfo:
    """Write ``messages`` messages into the Maildir ``out_dir`` (created) and
    the JSON description next to it; returns the description."""
    began = time.perf_counter()
    rng = random.Random(seed)
    writer = _Writer(rng)
    plan = _plan(messages)
    for sub in ("cur", "new", "tmp"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    info = GeneratedInfo(messages=messages, seed=seed, maildir=str(out_dir))
    span = EPOCH_END - EPOCH_START

    def when(fraction: float | None = None) -> int:
        f = rng.random() if fraction is None else fraction
        return EPOCH_START + int(span * f)

    # The special threads first (at chosen dates), then ordinary traffic until
    # the mailbox is full; the malformed messages are scattered in between.
    streams: list[tuple[str, Iterator[tuple[str, Msg]]]] = []
    big = writer.discussion(
        when(0.62), plan["big_thread"],
        rfc_subject="[RFC] sched: rethinking the load balancer for heterogeneous cores",
    )
    streams.append(("big-thread", big))
    streams.append((
        "big-series",
        writer.series(when(0.71), patches=plan["big_series_patches"], versions=1,
                      replies_per_version=plan["big_series_replies"]),
    ))
    streams.append(("big-patch", writer.series(when(0.55), patches=1, versions=1,
                                               replies_per_version=3,
                                               big_patch_lines=plan["big_patch_lines"])))
    malformed_slots = [
        (kind, when()) for kind in MALFORMED_KINDS for _ in range(plan["malformed_each"])
    ]

    written = 0
    newest = (-1, "", "")
    cur = out_dir / "cur"

    def write(role: str, msg: Msg, stream: str) -> None:
        nonlocal written, newest
        # Older mail has been read (S); the last months are still unread.
        flags = "S" if msg.date < EPOCH_END - 90 * 86400 and rng.random() < 0.9 else ""
        name = f"{msg.date}.{written:07d}_{seed}.kbench:2,{flags}"
        with open(cur / name, "wb") as fh:
            fh.write(msg.data)
        written += 1
        if b"\nIn-Reply-To: " not in msg.data.split(b"\n\n", 1)[0]:
            info.threads += 1
        if msg.date > newest[0] and msg.message_id:
            subject = msg.data.split(b"\nSubject: ", 1)[1].split(b"\n", 1)[0].decode("utf-8", "replace")
            newest = (msg.date, msg.message_id, subject)
        if stream == "big-thread":
            if role == "root":
                info.big_thread_root = msg.message_id
            info.big_thread_size += 1
        elif stream == "big-series":
            if role == "cover":
                info.big_series_cover = msg.message_id
            elif role == "patch":
                info.big_series_patches += 1
            elif role == "reply":
                info.big_series_replies += 1
        elif stream == "big-patch" and role == "big-patch":
            info.big_patch = msg.message_id
            info.big_patch_lines = msg.data.count(b"\n")
        elif stream == "malformed":
            info.malformed.setdefault(role, []).append(msg.message_id or name)

    for stream, gen in streams:
        for role, msg in gen:
            if written >= messages:
                break
            write(role, msg, stream)
    info.series += 2
    for kind, date in malformed_slots:
        if written >= messages:
            break
        role, msg = writer.malformed(kind, date)
        write(role, msg, "malformed")

    while written < messages:
        start = when()
        if rng.random() < 0.62:
            patches = 1 + int(rng.expovariate(1 / 3.5))
            versions = 1 + int(rng.expovariate(1 / 1.2))
            gen = writer.series(start, patches=min(patches, 30), versions=min(versions, 8))
            info.series += 1
        else:
            size = 1 + int(rng.expovariate(1 / 5))
            gen = writer.discussion(start, size)
        for role, msg in gen:
            if written >= messages:
                break
            write(role, msg, "ordinary")

    info.newest_message, info.newest_subject = newest[1], newest[2]
    info.seconds = round(time.perf_counter() - began, 2)
    info.write(info_path(out_dir))
    return info


# -- the notmuch index --------------------------------------------------------

BENCH_IDENTITY_NAME = "Bench Reviewer"
BENCH_IDENTITY_EMAIL = "reviewer@bench.example.org"
STAMP_NAME = "indexed.json"


def bench_root(messages: int, seed: int) -> Path:
    """$XDG_CACHE_HOME/kreview/bench/<messages>-<seed>."""
    from kreview import paths

    return paths.cache_dir() / "bench" / f"{messages}-{seed}"


def write_bench_config(config: Path, mail: Path) -> None:
    from kreview.core.model import Identity
    from kreview.core.notmuch_config import write_config

    write_config(config, mail, Identity(BENCH_IDENTITY_NAME, BENCH_IDENTITY_EMAIL))


@dataclass(frozen=True)
class BenchDatabase:
    root: Path
    config: Path
    info: GeneratedInfo
    index_seconds: float


def ensure_database(messages: int, seed: int, *, root: Path | None = None, log=None) -> BenchDatabase:
    """The generated, indexed mailbox for (messages, seed), built once and reused.

    Rebuilt only when the stamp written after a complete indexing is missing
    (so an interrupted build is redone rather than measured)."""
    root = root or bench_root(messages, seed)
    mail = root / "mail"
    config = root / "notmuch-config"
    stamp = root / STAMP_NAME
    if stamp.is_file() and config.is_file() and info_path(mail).is_file():
        data = json.loads(stamp.read_text())
        return BenchDatabase(root, config, GeneratedInfo.read(info_path(mail)), data["index_seconds"])
    info = None
    if info_path(mail).is_file():
        info = GeneratedInfo.read(info_path(mail))
        if info.messages != messages or info.seed != seed or sum(1 for _ in (mail / "cur").iterdir()) != messages:
            info = None
    if info is None:
        import shutil

        if mail.exists():
            shutil.rmtree(mail)
        if log:
            log(f"generating {messages} messages (seed {seed}) in {mail}")
        info = generate(mail, messages, seed)
        if log:
            log(f"generated in {info.seconds:.1f} s")
    write_bench_config(config, mail)
    began = time.perf_counter()
    index_maildir(mail, config, log=log)
    seconds = round(time.perf_counter() - began, 1)
    stamp.write_text(json.dumps({"index_seconds": seconds, "generate_seconds": info.seconds}) + "\n")
    return BenchDatabase(root, config, info, seconds)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m kreview.bench.generate",
        description="Generate the benchmark mailbox. Without OUT_DIR: generate and index it "
        "in the bench cache ($XDG_CACHE_HOME/kreview/bench/<messages>-<seed>), reused if present.",
    )
    parser.add_argument("out_dir", type=Path, nargs="?", help="only write a Maildir here (no index)")
    parser.add_argument("--messages", type=int, default=REFERENCE_SIZE)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out_dir is not None:
        info = generate(args.out_dir, args.messages, args.seed)
        print(json.dumps(asdict(info), indent=2))
        return 0

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    db = ensure_database(args.messages, args.seed, log=log)
    print(f"notmuch config: {db.config}\nindexed in {db.index_seconds} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
