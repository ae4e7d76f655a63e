"""Every action the audit trail records: one enumeration, one naming style («object.done»), a
Russian label each. `audit()` takes a member or its value; tests/vprplan/test_audit_actions.py
scans the code so that no action is written without a label here."""

from django.db import models


class AuditAction(models.TextChoices):
    # Accounts and roles
    AUTH_LOGIN = "auth.login", "Вход в систему"
    AUTH_LOGOUT = "auth.logout", "Выход из системы"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Неудачная попытка входа"
    AUTH_LOCKED_OUT = "auth.locked_out", "Вход заблокирован после неудачных попыток"
    MEMBERSHIP_CREATED = "membership.created", "Роль выдана"
    MEMBERSHIP_CHANGED = "membership.changed", "Роль изменена"
    MEMBERSHIP_DELETED = "membership.deleted", "Роль снята"
    MEMBERSHIP_DIRECTORY_GRANTED = "membership.directory_granted", "Роль выдана по группе в каталоге организации"
    MEMBERSHIP_DIRECTORY_REVOKED = "membership.directory_revoked", "Роль снята: в каталоге организации нет группы"
    USER_DIRECTORY_CREATED = "user.directory_created", "Учётная запись создана при первом входе через каталог"
    USER_DIRECTORY_REFUSED = "user.directory_refused", "Вход через каталог отклонён: имя занято местной учётной записью"
    USER_FLAGS_CHANGED = "user.flags_changed", "Изменены права учётной записи"
    USER_GROUPS_CHANGED = "user.groups_changed", "Изменены группы учётной записи"
    USER_PERMISSIONS_CHANGED = "user.permissions_changed", "Изменены разрешения учётной записи"
    CALENDAR_FEED_RESET = "calendar_feed.reset", "Ссылка на календарь заменена"
    NOTIFICATIONS_DIGEST_ON = "notifications.digest_on", "Включена ежедневная сводка по почте"
    NOTIFICATIONS_DIGEST_OFF = "notifications.digest_off", "Отключена ежедневная сводка по почте"
    PERSONAL_DATA_EXPORTED = "personal_data.exported", "Выгружены персональные данные"
    # Plans
    PLAN_CREATED = "plan.created", "План создан"
    PLAN_CHANGED = "plan.changed", "План изменён"
    PLAN_IMPORTED = "plan.imported", "План загружен из файла"
    PLAN_CONTENT_REPLACED = "plan.content_replaced", "Содержание плана заменено загруженным"
    PLAN_SUBMITTED = "plan.submitted", "План отправлен на утверждение"
    PLAN_RETURNED = "plan.returned", "План возвращён на доработку"
    PLAN_APPROVED = "plan.approved", "План утверждён"
    PLAN_SUPERSEDED = "plan.superseded", "План заменён новой редакцией"
    PLAN_ARCHIVED = "plan.archived", "План переведён в архив"
    PLAN_COPIED = "plan.copied", "План скопирован"
    PLAN_VERSION_STARTED = "plan.version_started", "Начата новая редакция плана"
    PLAN_DERIVED = "plan.derived", "План школы создан по муниципальному"
    PLAN_EXECUTIONS_SYNCED = "plan.executions_synced", "Задания школ обновлены"
    PLAN_REORDERED = "plan.reordered", "Порядок мероприятий плана изменён"
    SECTION_ADDED = "section.added", "Раздел добавлен"
    SECTION_CHANGED = "section.changed", "Раздел изменён"
    SECTION_DELETED = "section.deleted", "Раздел удалён"
    SECTION_MOVED = "section.moved", "Раздел перемещён"
    ACTIVITY_ADDED = "activity.added", "Мероприятие добавлено"
    ACTIVITY_CHANGED = "activity.changed", "Мероприятие изменено"
    ACTIVITY_DELETED = "activity.deleted", "Мероприятие удалено"
    ACTIVITY_MOVED = "activity.moved", "Мероприятие перемещено"
    DELETION_UNDONE = "deletion.undone", "Удаление отменено"
    RESPONSIBLE_PERSON_ADDED = "responsible_person.added", "Ответственное лицо добавлено в справочник"
    # Execution of plans
    EXECUTION_IN_PROGRESS = "execution.in_progress", "Исполнение начато"
    EXECUTION_COMPLETED = "execution.completed", "Мероприятие отмечено выполненным"
    EXECUTION_RESUBMITTED = "execution.resubmitted", "Исправленный отчёт отправлен на проверку"
    EXECUTION_ACCEPTED = "execution.accepted", "Отчёт о выполнении принят"
    EXECUTION_RETURNED = "execution.returned", "Отчёт о выполнении возвращён на доработку"
    EVIDENCE_DELETED = "evidence.deleted", "Подтверждающий документ удалён"
    EVIDENCE_DOWNLOADED = "evidence.downloaded", "Подтверждающий документ скачан"
    # Orders and exports
    ORDER_CREATED = "order.created", "Приказ создан"
    ORDER_CHANGED = "order.changed", "Приказ изменён"
    ORDER_SIGN_REQUESTED = "order.sign_requested", "Приказ отправлен на подпись"
    ORDER_SIGNED = "order.signed", "Приказ подписан"
    ORDER_SIGN_FAILED = "order.sign_failed", "Ошибка подписи приказа"
    ORDER_READY_FOR_SIGNATURE = "order.ready_for_signature", "PDF приказа подготовлен для подписи руководителем"
    ORDER_SIGNATURE_REFUSED = "order.signature_refused", "Подпись приказа не прошла проверку"
    ORDER_SIGN_CANCELLED = "order.sign_cancelled", "Подписание приказа отменено"
    ORDER_REVISED = "order.revised", "Приказ пересоздан"
    EXPORT_REQUESTED = "export.requested", "Запрошена выгрузка"
    EXPORT_FAILED = "export.failed", "Выгрузка не удалась"
    # Flags, results and rechecks
    FLAG_CREATED = "flag.created", "Признак необъективности добавлен"
    FLAG_CHANGED = "flag.changed", "Признак необъективности изменён"
    FLAG_IMPORTED = "flag.imported", "Загружен список признаков необъективности"
    RESULTS_IMPORTED = "results.imported", "Загружены результаты ВПР"
    RECHECK_CREATED = "recheck.created", "Перепроверка назначена"
    RECHECK_EXPERT_ADDED = "recheck.expert_added", "Эксперт включён в комиссию перепроверки"
    RECHECK_WORK_ADDED = "recheck.work_added", "Работа включена в перепроверку"
    RECHECK_WORK_SCORED = "recheck.work_scored", "Баллы перепроверки внесены"
    RECHECK_FINISHED = "recheck.finished", "Перепроверка завершена"
    # Observers and the VPR schedule
    VPR_SESSION_CREATED = "vpr_session.created", "Работа ВПР добавлена в график"
    VPR_SESSION_CHANGED = "vpr_session.changed", "Работа ВПР в графике изменена"
    VPR_SESSION_DELETED = "vpr_session.deleted", "Работа ВПР удалена из графика"
    VPR_SCHEDULE_IMPORTED = "vpr_session.imported", "Загружен график проведения ВПР"
    OBSERVER_CREATED = "observer.created", "Наблюдатель внесён в реестр"
    OBSERVER_CHANGED = "observer.changed", "Сведения о наблюдателе изменены"
    OBSERVER_ASSIGNED = "observer.assigned", "Наблюдатель назначен"
    ASSIGNMENT_STATUS_CHANGED = "assignment.status_changed", "Состояние назначения наблюдателя изменено"
    ASSIGNMENT_REMOVED = "assignment.removed", "Наблюдатель снят с работы"
    ASSIGNMENTS_SUGGESTED = (
        "assignment.suggestions_applied",
        "Применено предложенное распределение наблюдателей",
    )
    ACT_SUBMITTED = "act.submitted", "Акт наблюдателя подан"
    ACT_DOWNLOADED = "act.downloaded", "Скан акта наблюдателя скачан"


def action_label(code: str) -> str:
    """The Russian label of a stored code; an unknown one (never expected) reads as «Действие»."""
    try:
        return AuditAction(code).label
    except ValueError:
        return "Действие"
