"""Names for files in a report: the shortest path suffix that tells them apart."""

from __future__ import annotations

from pathlib import PurePath


def distinct_labels(paths: list[str]) -> dict[str, str]:
    """Each path -> its shortest trailing part that no other path shares.

    ``django/conf/locale/es/LC_MESSAGES/django.po`` and
    ``django/contrib/admin/locale/es/LC_MESSAGES/django.po`` become
    ``conf/locale/es/LC_MESSAGES/django.po`` and ``admin/locale/es/LC_MESSAGES/django.po``;
    a path alone keeps its file name.
    """
    parts = {p: PurePath(p).parts for p in dict.fromkeys(paths)}
    labels = {}
    for path, own in parts.items():
        for size in range(1, len(own) + 1):
            suffix = own[-size:]
            if not any(other[-size:] == suffix for p, other in parts.items() if p != path):
                labels[path] = PurePath(*suffix).as_posix()
                break
        else:
            labels[path] = PurePath(path).as_posix()
    return labels
