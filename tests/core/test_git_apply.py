"""Apply an exported series with the real git, in a repository built for it
(tests/core/gitrepo.py: a base commit at the pre-image of the patches)."""
from __future__ import annotations

import pytest

from kreview.core.am import AmOptions, export_am, find_series
from kreview.core.git_apply import ApplyError, am_in_progress, check, choose_repo, git_am
from tests.core.gitrepo import GIT_ENV, git, repo_for


@pytest.fixture
def git_env(monkeypatch, tmp_path):
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def v8(store, tmp_path, git_env):
    result = export_am(find_series(store, 'subject:"PATCH v8"'), tmp_path / "out",
                       AmOptions(add_link=True, signoff="Test Committer <committer@example.org>"))
    repo = repo_for(result.mbox.read_bytes(), tmp_path)
    return result, repo


def test_series_applies_with_its_trailers(v8):
    result, repo = v8
    assert check(repo, result.mbox).ok
    outcome = git_am(repo, result.mbox)
    assert outcome.ok, outcome.output
    assert outcome.applied == 7 and outcome.abort_command is None
    subjects = git(repo, "log", "--reverse", "--format=%s", "HEAD~7..HEAD").splitlines()
    assert subjects == [p.subject.split("] ", 1)[1] for p in result.patches]
    first = git(repo, "log", "--format=%B", "-1", "HEAD~6")
    assert first.rstrip().split("\n")[-7:] == [
        'Cc: "Jérôme Glisse" <jglisse@redhat.com>',
        "Signed-off-by: Dan Williams <dan.j.williams@intel.com>",
        "Acked-by: Michal Hocko <mhocko@suse.com>",
        "Tested-by: Logan Gunthorpe <logang@deltatee.com>",
        "Reviewed-by: Balbir Singh <bsingharora@gmail.com>",
        f"Link: https://lore.kernel.org/r/{result.patches[0].message_id}",
        "Signed-off-by: Test Committer <committer@example.org>",
    ]
    # trailers as git reads them, for every commit: the added ones are all there
    for n, patch in enumerate(result.patches):
        body = git(repo, "log", "--format=%(trailers:only,unfold)", "-1", f"HEAD~{6 - n}")
        for line in patch.added_trailers:
            assert line in body.splitlines()
    assert git(repo, "log", "--format=%an <%ae>", "-1") == "Dan Williams <dan.j.williams@intel.com>\n"


def test_failed_apply_is_reported_and_left_for_the_user(v8):
    result, repo = v8
    # Someone changed a line patch 2 needs: the series stops there.
    memremap = repo / "kernel" / "memremap.c"
    text = memremap.read_text()
    patch2 = result.mbox.read_text().split("From git@z")[2]
    needed = next(line[1:] for line in patch2.splitlines()
                  if line.startswith("-") and not line.startswith("---") and line[1:].strip())
    assert needed in text
    memremap.write_text(text.replace(needed, needed + " /* changed upstream */"))
    git(repo, "commit", "-qam", "upstream moved on")

    dry = check(repo, result.mbox)
    assert not dry.ok and "patch failed" in dry.output
    outcome = git_am(repo, result.mbox, threeway=True)
    assert not outcome.ok
    assert outcome.applied == 1
    assert "Patch failed at 0002" in outcome.output
    assert outcome.abort_command == f"git -C {repo} am --abort"
    assert am_in_progress(repo)  # left as git left it
    assert "git am stopped after 1 patch" in outcome.summary and outcome.abort_command in outcome.summary
    with pytest.raises(ApplyError, match="already in progress"):
        git_am(repo, result.mbox)


def test_choose_repo(tmp_path, git_env):
    repo = tmp_path / "linux"
    (repo / "sub").mkdir(parents=True)
    git(repo, "init", "-q")
    assert choose_repo("linux", {"linux": str(repo)}, None) == repo
    assert choose_repo(None, {"linux": str(repo)}, "linux") == repo
    assert choose_repo(None, {}, str(repo / "sub")) == repo
    assert choose_repo(None, {}, None, cwd=repo / "sub") == repo
    with pytest.raises(ApplyError, match="no repository named 'net'"):
        choose_repo("net", {"linux": str(repo)}, None)
    with pytest.raises(ApplyError, match="not in a git repository"):
        choose_repo(None, {}, None, cwd=tmp_path)
