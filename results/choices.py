from django.db import models


class MarkerKind(models.TextChoices):
    """The markers (маркеры) computed from VPR results: each is a sign to look into, never a verdict."""

    ABOVE_REGION = "above_region", "результаты намного выше региональных"
    JOURNAL = "journal", "мало «понизили» и много «повысили» относительно журнала"
    BOUNDARY_PEAK = "boundary_peak", "пики распределения баллов на границах отметок"
    TWOS_ROSE = "twos_rose", "резкий рост доли «2» за год"
    TWOS_FELL = "twos_fell", "резкое снижение доли «2» за год"
    COHORT_DROP = "cohort_drop", "те же обучающиеся год назад показали намного более высокие результаты"


class ResultKind(models.TextChoices):
    """What a ФИС ОКО statistics export holds."""

    MARKS = "marks", "статистика по отметкам"
    SCORES = "scores", "распределение первичных баллов"
    JOURNAL = "journal", "сравнение отметок с отметками по журналу"


class RecheckStatus(models.TextChoices):
    PLANNED = "planned", "идёт"
    FINISHED = "finished", "завершена"
