"""Every write of an import: upload, check, confirm, import, cancel.

An upload only stores the file and queues its check. The check reads every row and stores the preview; nothing
else is written. Confirming queues the import, which checks the rows again against the data as they are then and
writes them all in one transaction — or, if any row now fails, writes none and shows the new errors.
"""

from __future__ import annotations

import gc
import logging
import time

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record
from dongthuan.core.errors import DomainError, ErrorCode, InputError, StateError
from dongthuan.core.types import Actor
from dongthuan.exchange import jobs, reading
from dongthuan.exchange.importers import Row, importer_for, rows_from_table
from dongthuan.exchange.models import (
    CHUNK_ROWS,
    ImportBatch,
    ImportChunk,
    ImportFile,
    ImportKind,
    ImportStatus,
    RowAction,
)
from dongthuan.organizations.models import Organization

log = logging.getLogger(__name__)


def _user(actor: Actor) -> User | None:
    """The account that makes a write, or None for the system."""
    return actor if isinstance(actor, User) else None


@transaction.atomic
def import_upload(
    *, actor: Actor, organization: Organization, kind: str, file_name: str, content: bytes
) -> ImportBatch:
    """Store an uploaded list and queue its check. Refuses at once what cannot be a list: wrong type, too big."""
    if kind not in ImportKind.values:
        raise InputError({"kind": [_("Hãy chọn loại danh sách.")]}, code=ErrorCode.IMPORT_KIND_REQUIRED)
    file_format = reading.format_of(file_name)
    reading.check_size(len(content))
    batch = ImportBatch.objects.create(
        kind=kind,
        organization=organization,
        file_name=file_name[-255:],
        file_format=file_format,
        file_size=len(content),
        created_by=_user(actor),
    )
    ImportFile.objects.create(batch=batch, content=content)
    audit_record(actor=actor, action="upload", obj=batch, changes={"file_name": [None, batch.file_name]})
    jobs.submit(batch.pk, run)
    return batch


def _claim(batch_id: int, queued: str, running: str) -> ImportBatch | None:
    """Move a queued batch to running; None when another job took it (or it was cancelled)."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=queued).update(
        status=running, started_at=timezone.now(), progress=1
    )
    return (
        ImportBatch.objects.select_related("organization", "created_by", "confirmed_by").get(pk=batch_id)
        if claimed
        else None
    )


def _progress(batch: ImportBatch, percent: int) -> None:
    batch.progress = percent
    ImportBatch.objects.filter(pk=batch.pk).update(progress=percent)


def _store_rows(batch: ImportBatch, rows: list[Row]) -> None:
    keys = list(batch.columns)
    ImportChunk.objects.filter(batch=batch).delete()
    chunks = []
    totals = dict.fromkeys(RowAction.values, 0)
    for index, start in enumerate(range(0, len(rows), CHUNK_ROWS)):
        data = [r.as_json(keys) for r in rows[start : start + CHUNK_ROWS]]
        counts = dict.fromkeys(RowAction.values, 0)
        for item in data:
            counts[item["action"]] += 1
        for action, n in counts.items():
            totals[action] += n
        chunks.append(
            ImportChunk(
                batch=batch,
                index=index,
                rows=data,
                n_create=counts[RowAction.CREATE],
                n_update=counts[RowAction.UPDATE],
                n_unchanged=counts[RowAction.UNCHANGED],
                n_error=counts[RowAction.ERROR],
            )
        )
    ImportChunk.objects.bulk_create(chunks, batch_size=50)
    batch.rows_total = len(rows)
    batch.rows_create = totals[RowAction.CREATE]
    batch.rows_update = totals[RowAction.UPDATE]
    batch.rows_unchanged = totals[RowAction.UNCHANGED]
    batch.rows_error = totals[RowAction.ERROR]


def _load_rows(batch: ImportBatch) -> list[Row]:
    rows: list[Row] = []
    keys = list(batch.columns)
    for chunk in ImportChunk.objects.filter(batch=batch).order_by("index"):
        rows.extend(Row.from_json(item, keys) for item in chunk.rows)
    return rows


COUNT_FIELDS = ["rows_total", "rows_create", "rows_update", "rows_unchanged", "rows_error"]


def run_check(batch_id: int) -> None:
    """Read and check every row of a queued batch, store the preview; nothing else is written."""
    batch = _claim(batch_id, ImportStatus.QUEUED_CHECK, ImportStatus.CHECKING)
    if batch is None:
        return
    began = time.perf_counter()
    try:
        content = bytes(ImportFile.objects.values_list("content", flat=True).get(batch_id=batch.pk))
        table = reading.read(content, batch.file_format)
        del content
        _progress(batch, 30)
        keys, rows, notes = rows_from_table(batch.kind, table)
        del table
        _progress(batch, 40)
        importer = importer_for(batch.kind, batch.organization, batch.created_by)
        importer.check(rows)
        _progress(batch, 80)
        with transaction.atomic():
            batch.columns = keys
            _store_rows(batch, rows)
            batch.warnings = notes
            batch.status = ImportStatus.READY if batch.rows_error == 0 else ImportStatus.INVALID
            batch.message = "" if batch.rows_error == 0 else _("Có dòng có lỗi: hãy sửa tệp rồi tải lên lại.")
            batch.checked_at = timezone.now()
            batch.seconds_check = time.perf_counter() - began
            batch.progress = 100
            batch.save()
    except DomainError as exc:
        _finish(batch, ImportStatus.INVALID, " ".join(exc.messages), began)
    except Exception:
        log.exception("import check %s failed", batch_id)
        _finish(batch, ImportStatus.FAILED, _("Lỗi hệ thống khi kiểm tra tệp; chưa có gì được ghi."), began)


def _finish(batch: ImportBatch, status: str, message: str, began: float) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, message=message, progress=100, seconds_check=time.perf_counter() - began
    )


@transaction.atomic
def import_confirm(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Queue the import of a checked batch with no error."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.can_confirm:
        raise StateError(
            _("Danh sách này không thể nhập: %(status)s.") % {"status": batch.get_status_display()},
            code=ErrorCode.IMPORT_NOT_CONFIRMABLE,
            data={"status": batch.status},
        )
    batch.status = ImportStatus.QUEUED_IMPORT
    batch.confirmed_by = _user(actor)
    batch.progress = 0
    batch.save(update_fields=["status", "confirmed_by", "progress"])
    audit_record(actor=actor, action="confirm", obj=batch)
    jobs.submit(batch.pk, run)
    return batch


class _Changed(Exception):
    pass


def run_import(batch_id: int) -> None:
    """Write every row of a confirmed batch in one transaction, after checking them again; all or nothing."""
    batch = _claim(batch_id, ImportStatus.QUEUED_IMPORT, ImportStatus.IMPORTING)
    if batch is None:
        return
    began = time.perf_counter()
    rows = _load_rows(batch)
    _progress(batch, 10)
    actor = batch.confirmed_by or batch.created_by
    try:
        with transaction.atomic():
            importer = importer_for(batch.kind, batch.organization, actor)
            importer.check(rows)
            for row in rows:
                if not row.errors and row.action != row.checked:
                    row.error(
                        "",
                        _("Dòng này nay sẽ «%(now)s», khác lúc xem trước («%(then)s»).")
                        % {"now": RowAction(row.action).label, "then": RowAction(row.checked).label},
                    )
            if any(r.errors for r in rows):
                raise _Changed
            _progress(batch, 50)
            importer.apply(rows)
            if any(r.errors for r in rows):
                raise _Changed
            # The stored preview stays as it is: every row did what it showed.
            batch.status = ImportStatus.DONE
            batch.message = ""
            batch.finished_at = timezone.now()
            batch.seconds_import = time.perf_counter() - began
            batch.progress = 100
            batch.save()
            audit_record(
                actor=actor,
                action="import",
                obj=batch,
                changes={"rows_create": [0, batch.rows_create], "rows_update": [0, batch.rows_update]},
            )
    except _Changed:
        with transaction.atomic():
            _store_rows(batch, rows)
            batch.status = ImportStatus.INVALID
            batch.message = _(
                "Dữ liệu đã thay đổi kể từ khi kiểm tra nên có dòng không còn nhập được. Không dòng nào được ghi; "
                "hãy xem lỗi, sửa tệp rồi tải lên lại."
            )
            batch.progress = 100
            batch.save()
    except DomainError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, message=" ".join(exc.messages), progress=100
        )
    except Exception:
        log.exception("import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            message=_("Lỗi hệ thống khi nhập; không dòng nào được ghi."),
            progress=100,
        )


@transaction.atomic
def import_cancel(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.can_cancel:
        raise StateError(
            _("Không thể hủy: %(status)s.") % {"status": batch.get_status_display()},
            code=ErrorCode.IMPORT_NOT_CANCELLABLE,
            data={"status": batch.status},
        )
    batch.status = ImportStatus.CANCELLED
    batch.save(update_fields=["status"])
    ImportFile.objects.filter(batch=batch).delete()
    audit_record(actor=actor, action="cancel", obj=batch)
    return batch


def run(batch_id: int) -> None:
    """Whatever a batch is queued for. The cyclic garbage collector is paused meanwhile: a large file makes millions
    of small objects and no cycles, and the collector's repeated passes over them would cost more than the work."""
    status = ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if status == ImportStatus.QUEUED_CHECK:
            run_check(batch_id)
        elif status == ImportStatus.QUEUED_IMPORT:
            run_import(batch_id)
    finally:
        if was_enabled:
            gc.enable()
