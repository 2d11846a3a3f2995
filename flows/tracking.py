"""Counting a run: per-stage stats and per-source figures for artifacts and `runs`."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tasks.records import Article, Page, StageStats, Target

SOURCE_COLUMNS = (
    "discovered",
    "fetched",
    "unchanged",
    "new",
    "updated",
    "duplicates",
    "failed",
)


@dataclass
class RunTracker:
    run_id: str
    started: float = field(default_factory=time.perf_counter)
    stages: dict[str, StageStats] = field(default_factory=dict)
    per_source: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # Sources that listed no pages, with why (their feed or sitemap could not be read).
    source_errors: dict[str, str] = field(default_factory=dict)
    batches: int = 0
    total_targets: int = 0
    done_targets: int = 0

    def stage(self, stats: StageStats) -> None:
        if stats.stage in self.stages:
            self.stages[stats.stage].merge(stats)
        else:
            merged = StageStats(stats.stage)
            self.stages[stats.stage] = merged.merge(stats)

    def discovered(self, targets: list[Target]) -> None:
        self.total_targets = len(targets)
        for t in targets:
            self.per_source[t.source]["discovered"] += 1

    def sources_listed(self, labels: Sequence[str], log_rows: Sequence[dict[str, Any]]) -> None:
        """Every configured source gets its row, and one that listed nothing says why."""
        for label in labels:
            counts = self.per_source[label]
            if counts["discovered"]:
                continue
            reasons = Counter(
                (f"{row['url']}: " if row["url"] != label else "")
                + (row.get("error") or f"HTTP {row.get('status')}")
                for row in log_rows
                if row.get("source") == label and row.get("outcome") in ("failed", "skipped")
            )
            if reasons:
                self.source_errors[label] = "; ".join(r for r, _ in reasons.most_common(3))

    def failed_sources(self) -> dict[str, str]:
        """Sources that gave nothing: unreadable listings, or every page failed."""
        failed = dict(self.source_errors)
        for source, counts in self.per_source.items():
            if (
                source not in failed
                and counts["failed"]
                and not (counts["fetched"] or counts["unchanged"])
            ):
                failed[source] = "every page failed: " + ", ".join(
                    r for r, _ in self.failures[source].most_common(3)
                )
        return failed

    def verdict(self) -> tuple[bool, str | None]:
        """(failed, message): every source failed, some did (message only), or none (None)."""
        failed = self.failed_sources()
        if not failed:
            return False, None
        total = len(self.per_source)
        first = "; ".join(f"{s}: {r}" for s, r in list(failed.items())[:2])
        more = f" (and {len(failed) - 2} more)" if len(failed) > 2 else ""
        if len(failed) < total:
            return False, (
                f"partly failed: {len(failed)} of {total} sources gave nothing ({first}{more}); "
                "the other sources were loaded. The per-source table says why"
            )
        return True, (
            f"every source failed ({total} of {total}): {first}{more}. To do: check that the "
            "URLs are right and the sites reachable from this machine (the per-source table "
            "has each reason), then run again"
        )

    def fetched(self, pages: list[Page]) -> None:
        for p in pages:
            counts = self.per_source[p.source]
            if p.unchanged:
                counts["unchanged"] += 1
            elif p.body is not None and p.error is None:
                counts["fetched"] += 1
            else:
                counts["failed"] += 1
                self.failures[p.source][p.error or f"http {p.status}"] += 1

    def loaded(self, articles: list[Article], new_ids: set[str], updated: int) -> None:
        seen: set[str] = set()
        for a in articles:
            if a.article_id in seen:  # two URLs of one canonical page are one article
                continue
            seen.add(a.article_id)
            counts = self.per_source[a.feed_source or a.source]
            if a.article_id in new_ids:
                counts["new"] += 1
            if a.duplicate_of:
                counts["duplicates"] += 1
        # `updated` is only known per batch; attribute it to the batch's main source.
        if updated and articles:
            main = Counter(a.feed_source or a.source for a in articles).most_common(1)[0][0]
            self.per_source[main]["updated"] += updated

    def finished(self, pages: list[Page]) -> None:
        """A batch is committed: its pages count as done for the progress bar."""
        self.done_targets += len(pages)
        self.batches += 1

    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for counts in self.per_source.values():
            total.update(counts)
        return {
            "pages_discovered": total["discovered"],
            "pages_fetched": total["fetched"],
            "pages_unchanged": total["unchanged"],
            "pages_failed": total["failed"],
            "articles_new": total["new"],
            "articles_updated": total["updated"],
            "duplicates": total["duplicates"],
        }

    def source_rows(self) -> list[dict[str, Any]]:
        rows = []
        for source in sorted(self.per_source):
            counts = self.per_source[source]
            reasons = ", ".join(f"{r} ({n})" for r, n in self.failures[source].most_common(5))
            if source in self.source_errors:
                reasons = "; ".join(filter(None, [self.source_errors[source], reasons]))
            elif not counts["discovered"]:
                reasons = reasons or "listed no pages"
            rows.append(
                {"source": source, **{c: counts[c] for c in SOURCE_COLUMNS}, "reasons": reasons}
            )
        return rows

    def stage_rows(self) -> list[dict[str, Any]]:
        wall = time.perf_counter() - self.started
        rows = [s.as_dict() for s in self.stages.values()]
        busy = sum(s.seconds for s in self.stages.values())
        rows.append({"stage": "orchestration", "seconds": round(max(wall - busy, 0.0), 3)})
        return rows

    def summary(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "seconds": round(time.perf_counter() - self.started, 2),
            "batches": self.batches,
            **self.totals(),
            "sources": self.source_rows(),
            "stages": self.stage_rows(),
        }
