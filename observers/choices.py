from django.db import models


class ObserverKind(models.TextChoices):
    PARENT = "parent", "родитель (законный представитель)"
    RSM = "rsm", "Российский союз молодёжи"
    PUBLIC_ORG = "public_org", "общественная организация"
    AUTHORITY = "authority", "сотрудник органа власти / местного самоуправления"
    STUDENT = "student", "студент"
    OTHER = "other", "иное"


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    CONFIRMED = "confirmed", "подтверждено"
    ATTENDED = "attended", "присутствовал"
    ABSENT = "absent", "не явился"


# planned → confirmed → attended / absent
TRANSITIONS = {
    AssignmentStatus.PLANNED: {AssignmentStatus.CONFIRMED},
    AssignmentStatus.CONFIRMED: {AssignmentStatus.ATTENDED, AssignmentStatus.ABSENT},
    AssignmentStatus.ATTENDED: set(),
    AssignmentStatus.ABSENT: set(),
}
# What the board's buttons say for each move.
ACTION_LABELS = {
    AssignmentStatus.CONFIRMED: "Подтвердить",
    AssignmentStatus.ATTENDED: "Присутствовал",
    AssignmentStatus.ABSENT: "Не явился",
}
# An assignment in these statuses puts the observer at the session (busy, covering it).
ACTIVE_STATUSES = (AssignmentStatus.PLANNED, AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)


class ActStage(models.TextChoices):
    CONDUCT = "conduct", "проведение"
    CHECKING = "checking", "проверка работ"
    UPLOAD = "upload", "загрузка результатов"
