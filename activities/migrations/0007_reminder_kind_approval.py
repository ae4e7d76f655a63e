from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_section_title_blank_flat_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("approval", "Ожидает утверждения"),
                    ("overdue", "Просрочено"),
                    ("due_1", "Срок сегодня или завтра"),
                    ("due_3", "Срок через 2–3 дня"),
                    ("due_7", "Срок в течение недели"),
                    ("escalation", "Школы с просроченными мероприятиями"),
                    ("session", "Общественное наблюдение завтра"),
                    ("act_late", "Не сдан акт общественного наблюдения"),
                ],
                max_length=16,
                verbose_name="вид",
            ),
        ),
    ]
