"""The seed's curriculum: "TOT Dialog Sosial dan Pengorganisasian", version 1, published;
and its shorter cascade version, which TOT graduates teach in their own workplace unions.

Content goes in through the services, in the only order they allow: a draft is filled,
then published. Loading again changes nothing once version 1 has its modules; a version 1
left published but empty by an older demo is taken back to a draft, filled and published.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from curriculum.models import Curriculum, Module
from curriculum.services import (
    assessment_save,
    curriculum_create,
    curriculum_publish,
    curriculum_update,
    module_create,
    question_create,
)
from members.models import Organization

SLUG = "tot-dialog-sosial-pengorganisasian"
DETAILS = {
    "title": "TOT Dialog Sosial dan Pengorganisasian",
    "summary": (
        "Dialog sosial dalam hubungan industrial, strategi pengorganisasian, rekrutmen "
        "anggota, negosiasi, serta menjadi pelatih bagi anggota lain."
    ),
    "audience": (
        "Pengurus dan aktivis serikat buruh tingkat basis hingga wilayah yang siap melatih "
        "anggota lain di daerahnya."
    ),
    "language": "id",
}
M = Module.Method


@dataclass(frozen=True)
class DemoModule:
    title: str
    objectives: str
    minutes: int
    methods: tuple[str, ...]
    notes: str


MODULES = [
    DemoModule(
        "Dialog sosial dalam hubungan industrial",
        "Menjelaskan arti dialog sosial dan para pihaknya (buruh, pengusaha, pemerintah)\n"
        "Membedakan dialog sosial dari sekadar bertukar pikiran\n"
        "Menyebutkan isu yang diperjuangkan: upah, kondisi kerja, jaminan sosial, hak dasar",
        120,
        (M.LECTURE, M.DISCUSSION),
        "Buka dengan pertanyaan: **kapan terakhir kali tuntutan kita didengar?** "
        "Tekankan bahwa dialog sosial adalah media untuk menyampaikan sikap dan tuntutan "
        "*secara terorganisir*, bukan ajang basa-basi.\n\n"
        "- Tulis jawaban peserta di kertas plano.\n- Kelompokkan menjadi isu upah, kondisi "
        "kerja, jaminan sosial dan hak dasar.",
    ),
    DemoModule(
        "Strategi pengorganisasian serikat",
        "Menjelaskan mengapa pengorganisasian adalah inti kekuatan serikat\n"
        "Memetakan kekuatan serikat di tingkat basis dan nasional\n"
        "Menyusun strategi pengorganisasian yang berkelanjutan",
        120,
        (M.LECTURE, M.GROUP_WORK),
        "Kaitkan dengan tekanan fleksibilitas tenaga kerja dan Omnibus Law. Minta tiap "
        "kelompok memetakan: anggota, struktur, dan strategi serikatnya sendiri.",
    ),
    DemoModule(
        "Merekrut anggota baru",
        "Mengenali calon anggota dan alasan mereka belum bergabung\n"
        "Mempraktikkan percakapan rekrutmen satu lawan satu\n"
        "Menyusun rencana rekrutmen di tempat kerja",
        90,
        (M.ROLE_PLAY, M.FIELD_PRACTICE),
        "Bermain peran berpasangan: satu peserta menjadi buruh yang ragu, satu menjadi "
        "perekrut. Tukar peran setelah 10 menit, lalu bahas apa yang berhasil.",
    ),
    DemoModule(
        "Mengelola hubungan internal serikat",
        "Menjelaskan peran pengurus dan anggota\n"
        "Membangun komunikasi dan solidaritas di antara anggota\n"
        "Menangani perbedaan pendapat di dalam serikat",
        90,
        (M.DISCUSSION, M.GROUP_WORK),
        "Gunakan studi kasus konflik antarpengurus. Tekankan bahwa anggota yang solid dan "
        "struktur yang jelas memberi posisi tawar yang lebih baik.",
    ),
    DemoModule(
        "Teknik negosiasi dalam forum dialog sosial",
        "Menyusun tuntutan yang spesifik dan mendesak\n"
        "Menerapkan sikap tegas dan argumen yang logis dalam perundingan\n"
        "Membaca posisi pengusaha dan pemerintah",
        150,
        (M.ROLE_PLAY, M.SIMULATION),
        "Simulasi forum tripartit: bagi peserta menjadi delegasi serikat, pengusaha dan "
        "pemerintah. Setelah simulasi, evaluasi: apakah serikat menjadi **aktor**, bukan "
        "peserta pasif?",
    ),
    DemoModule(
        "Mempersiapkan data dan argumen",
        "Mengumpulkan data upah, kondisi kerja dan jaminan sosial\n"
        "Mengolah data menjadi argumen yang meyakinkan\n"
        "Menyajikan data secara ringkas di forum",
        120,
        (M.GROUP_WORK, M.LECTURE),
        "Bawa contoh data upah minimum dan struktur upah perusahaan. Tiap kelompok membuat "
        "satu lembar argumen untuk satu tuntutan.",
    ),
    DemoModule(
        "Prosedur dialog sosial",
        "Menjelaskan tahapan dan forum dialog sosial (bipartit, tripartit)\n"
        "Memahami dokumen yang diperlukan di setiap tahap\n"
        "Menindaklanjuti hasil dialog sosial",
        90,
        (M.LECTURE, M.SIMULATION),
        "Gambarkan alur prosedur di papan tulis dari awal sampai tindak lanjut. Simulasikan "
        "satu putaran dengan dokumen contoh.",
    ),
    DemoModule(
        "Menjadi pelatih: metode belajar orang dewasa dan rencana pelatihan berjenjang",
        "Menerapkan prinsip belajar orang dewasa\n"
        "Memfasilitasi sesi singkat di depan kelompok\n"
        "Menyusun rencana pelatihan berjenjang untuk anggota di daerah sendiri",
        150,
        (M.LECTURE, M.GROUP_WORK, M.ROLE_PLAY),
        "Tujuan TOT: peserta pulang dan **melatih anggota lain**. Setiap peserta praktik "
        "memfasilitasi 10 menit, lalu menulis rencana pelatihan pertamanya: kapan, di mana, "
        "untuk siapa.",
    ),
]

# question, answers, index of the correct answer, explanation
QUESTIONS = [
    (
        "Apa arti dialog sosial bagi buruh menurut materi TOT?",
        [
            "Ajang bertukar pikiran tanpa tujuan",
            "Media untuk menyampaikan sikap dan tuntutan secara terorganisir",
            "Rapat rutin internal serikat",
            "Acara seremonial pemerintah",
        ],
        1,
        "Dialog sosial bukan sekadar bertukar gagasan, melainkan media tuntutan yang terorganisir.",
    ),
    (
        "Apa yang terjadi pada tuntutan buruh tanpa posisi tawar yang kuat?",
        [
            "Langsung dikabulkan",
            "Menjadi wacana belaka yang mudah diabaikan",
            "Dibawa ke pengadilan",
            "Diputuskan oleh serikat sendiri",
        ],
        1,
        "",
    ),
    (
        "Apa yang disebut sebagai inti dari kekuatan serikat buruh?",
        ["Pengorganisasian", "Jumlah iuran", "Gedung sekretariat", "Media sosial"],
        0,
        "Tanpa pengorganisasian yang kuat, serikat tidak mampu menghadapi tantangan.",
    ),
    (
        "Siapa saja pihak dalam dialog sosial yang disebut dalam materi?",
        [
            "Buruh dan keluarga",
            "Buruh, pengusaha, dan pemerintah",
            "Pengusaha dan bank",
            "Pemerintah dan partai politik",
        ],
        1,
        "",
    ),
    (
        "Apa tiga kunci dalam merumuskan tuntutan pada dialog sosial?",
        [
            "Sikap tegas, data yang akurat, dan argumen yang logis",
            "Suara keras, jumlah massa, dan spanduk",
            "Kedekatan pribadi, hadiah, dan lobi",
            "Kesabaran, diam, dan menunggu",
        ],
        0,
        "",
    ),
    (
        "Peran apa yang diharapkan dari peserta setelah TOT?",
        [
            "Menjadi pengurus pusat",
            "Menjadi pelatih bagi anggota serikat lainnya di daerahnya",
            "Menjadi mediator pemerintah",
            "Menjadi pengamat",
        ],
        1,
        "Pengetahuan disebarkan berjenjang ke seluruh anggota di berbagai daerah.",
    ),
    (
        "Kebijakan apa yang disebut menekan buruh dalam materi pengorganisasian?",
        [
            "Kenaikan upah minimum",
            "Fleksibilitas tenaga kerja dan Omnibus Law",
            "Program jaminan sosial",
            "Cuti melahirkan",
        ],
        1,
        "",
    ),
    (
        "Ciri serikat buruh yang kuat adalah…",
        [
            "Anggota solid, struktur jelas, strategi efektif",
            "Banyak pengurus, sedikit anggota",
            "Tidak pernah berunding",
            "Hanya aktif saat pemilu",
        ],
        0,
        "",
    ),
    (
        "Di tingkat mana penguatan serikat perlu dilakukan?",
        [
            "Hanya tingkat nasional",
            "Hanya tingkat basis",
            "Tingkat basis maupun nasional",
            "Hanya tingkat internasional",
        ],
        2,
        "",
    ),
    (
        "Dalam dialog sosial, serikat buruh seharusnya menjadi…",
        [
            "Peserta pasif",
            "Aktor yang memiliki pengaruh dan daya tawar tinggi",
            "Penonton",
            "Notulen rapat",
        ],
        1,
        "Serikat harus memastikan bahwa ia bukan peserta pasif.",
    ),
]


@transaction.atomic
def demo_curriculum_load(*, owner: Organization, author: AbstractBaseUser) -> Curriculum:
    """Version 1 of the seed's curriculum, published; ``author`` organizes ``owner``."""
    curriculum, _created = Curriculum.objects.get_or_create(
        slug=SLUG, version=1, defaults={**DETAILS, "owner": owner}
    )
    if curriculum.modules.exists() or curriculum.status != Curriculum.Status.DRAFT:
        return curriculum
    curriculum_update(user=author, curriculum=curriculum, data=DETAILS)
    _fill(curriculum=curriculum, author=author)
    return curriculum_publish(user=author, curriculum=curriculum)


def _fill(
    *,
    curriculum: Curriculum,
    author: AbstractBaseUser,
    modules: list[DemoModule] = MODULES,
    questions: list[tuple] = QUESTIONS,
) -> None:
    for module in modules:
        module_create(
            user=author,
            curriculum=curriculum,
            data={
                "title": module.title,
                "objectives": module.objectives,
                "duration_minutes": module.minutes,
                "methods": [str(method) for method in module.methods],
                "facilitator_notes": module.notes,
            },
        )
    assessment = assessment_save(user=author, curriculum=curriculum, pass_mark=70)
    for text, answers, correct, explanation in questions:
        question_create(
            user=author,
            assessment=assessment,
            text=text,
            choices=answers,
            correct=correct,
            explanation=explanation,
        )


CASCADE_SLUG = "dialog-sosial-berjenjang"
CASCADE_DETAILS = {
    "title": "Dialog Sosial di Tempat Kerja (pelatihan berjenjang)",
    "slug": CASCADE_SLUG,
    "summary": (
        "Versi satu hari dari TOT Dialog Sosial dan Pengorganisasian, dibawakan lulusan TOT "
        "untuk anggota PUK dan basisnya sendiri."
    ),
    "audience": "Anggota dan pengurus PUK/basis yang akan meneruskannya ke rekan kerja.",
    "language": "id",
}
CASCADE_MODULES = [
    DemoModule(
        "Dialog sosial dan posisi tawar serikat",
        "Menjelaskan arti dialog sosial bagi buruh\n"
        "Menyebutkan isu yang diperjuangkan di tempat kerja sendiri",
        90,
        (M.LECTURE, M.DISCUSSION),
        "Mulai dari masalah nyata di tempat kerja peserta: upah, lembur, jaminan sosial.",
    ),
    DemoModule(
        "Pengorganisasian dan rekrutmen anggota",
        "Memetakan anggota dan calon anggota di tempat kerja\n"
        "Mempraktikkan percakapan rekrutmen satu lawan satu",
        90,
        (M.GROUP_WORK, M.ROLE_PLAY),
        "Bermain peran berpasangan, 10 menit per peran.",
    ),
    DemoModule(
        "Negosiasi: tuntutan, data dan argumen",
        "Menyusun satu tuntutan yang spesifik\nMendukungnya dengan data dan argumen yang logis",
        120,
        (M.ROLE_PLAY, M.SIMULATION),
        "Simulasi perundingan bipartit dengan data upah perusahaan sendiri.",
    ),
    DemoModule(
        "Prosedur dialog sosial dan tindak lanjut di PUK",
        "Menjelaskan tahapan bipartit dan tripartit\n"
        "Menyusun rencana tindak lanjut PUK, termasuk siapa yang melatih berikutnya",
        60,
        (M.LECTURE, M.GROUP_WORK),
        "Tutup dengan rencana: siapa di antara peserta yang siap **melatih rekan berikutnya**?",
    ),
]
# Eight of the TOT's ten questions: the cascade leaves out the trainer's role and the policy
# background.
CASCADE_QUESTIONS = [QUESTIONS[index] for index in (0, 1, 2, 3, 4, 7, 8, 9)]


@transaction.atomic
def demo_cascade_curriculum_load(*, full: Curriculum, author: AbstractBaseUser) -> Curriculum:
    """The shorter cascade version of ``full``, version 1, published; its graduates may
    train others in turn, so the demo's cascades can have a second generation."""
    curriculum = Curriculum.objects.filter(slug=CASCADE_SLUG, version=1).first()
    if curriculum is not None:
        return curriculum
    curriculum = curriculum_create(user=author, owner=full.owner, data=CASCADE_DETAILS)
    curriculum = curriculum_update(
        user=author,
        curriculum=curriculum,
        data={"cascade_of": full, "graduates_may_train": True},
    )
    _fill(
        curriculum=curriculum,
        author=author,
        modules=CASCADE_MODULES,
        questions=CASCADE_QUESTIONS,
    )
    return curriculum_publish(user=author, curriculum=curriculum)
