"""The starter library in German: the same six themes and thirty challenges as
starter_content.py, written for German-speaking workplaces rather than translated word
for word.

Pure data, in the shape of starter_content.py, with one extra key per entry that says
which English entry it translates: themes by "slug", challenges by "source_title" (the
English title, which is how the seed finds the stored challenge).

Voice and vocabulary (keep them when editing, so the library reads as one text):
    address         formal "Sie" throughout; prompts quoted for an AI assistant use
                    the imperative people type into such tools
    tip-giver       "Tippgebende" in descriptions; in a challenge the learner's partner
                    is "Ihr Gegenüber" (gender-neutral, and the person is named in the
                    email anyway)
    learner         "Lernende"
    colleagues      "Kolleginnen und Kollegen", "Kollegium", "jemand im Team"
    customers       "Kundschaft" where the gender-neutral collective reads naturally
    "It worked if"  "Es hat geklappt, wenn ..."
Links point to German pages where one exists; otherwise the English page, marked
"(englisch)" in its title.
"""

from __future__ import annotations

from typing import Any

LANGUAGE = "de"

THEMES: list[dict[str, str]] = [
    {
        "slug": "tech-savvy",
        "name": "Digital souverän",
        "tagline": (
            "Neue digitale Werkzeuge und KI-Assistenten, gezeigt von jemandem, der sie "
            "täglich nutzt."
        ),
        "description": (
            "Lernen Sie die Tastenkürzel, Einstellungen und KI-Prompts kennen, die wirklich "
            "Stunden sparen: jede Woche ein kleiner Versuch an Arbeit, die ohnehin ansteht. "
            "Tippgebende sind hier gefragt, wenn sie in ihren Werkzeugen zu Hause sind und "
            "erklären können, was für sie den Unterschied gemacht hat."
        ),
    },
    {
        "slug": "diversity-inclusion",
        "name": "Vielfalt und Inklusion",
        "tagline": (
            "Aktuelle Sichtweisen auf Repräsentation und faire Personalauswahl, von "
            "Kolleginnen und Kollegen, die sie selbst erleben."
        ),
        "description": (
            "Eignen Sie sich praktische Gewohnheiten an: für fairere Stellenbesetzungen, "
            "für Besprechungen, in denen alle zu Wort kommen, und für Dokumente, die alle "
            "nutzen können. Tippgebende sind hier gefragt, wenn sie erzählen, was sie in "
            "der Schule, in früheren Jobs oder in ihrem Umfeld als wirksam erlebt haben, in "
            "ihren eigenen Worten und nur so viel, wie sie möchten."
        ),
    },
    {
        "slug": "rapid-change",
        "name": "Wandel meistern",
        "tagline": (
            "Wirksam bleiben bei Umstrukturierungen, neuen Werkzeugen und neuen Arbeitsweisen."
        ),
        "description": (
            "Lernen Sie die Gewohnheiten und Kollaborationswerkzeuge kennen, mit denen ein "
            "Team handlungsfähig bleibt, wenn sich Pläne, Zuständigkeiten und Systeme "
            "ändern: kurze Zyklen, sichtbare Arbeit und schnelle Abstimmungen. Tippgebende "
            "sind hier gefragt, wenn sie vor Kurzem in ein neues Team, ein neues System "
            "oder eine neue Arbeitsweise gekommen sind und herausgefunden haben, was "
            "wirklich hilft."
        ),
    },
    {
        "slug": "social-media",
        "name": "Social Media gekonnt nutzen",
        "tagline": (
            "Kurzvideos, Netzwerken und sich einen Namen machen auf den Plattformen von heute."
        ),
        "description": (
            "Lernen Sie, Beiträge zu veröffentlichen, die gelesen und geteilt werden, ein "
            "nützliches berufliches Netzwerk aufzubauen und Ihre Arbeit oder Ihr "
            "Unternehmen selbstbewusst zu zeigen. Tippgebende sind hier gefragt, wenn sie "
            "selbst posten, Inhalte erstellen oder einfach wissen, welche Accounts und "
            "Formate die Zeit wert sind."
        ),
    },
    {
        "slug": "entrepreneurial",
        "name": "Unternehmerisch denken",
        "tagline": "Neue Ideen als Chance sehen und kleine, kalkulierte Risiken eingehen.",
        "description": (
            "Lernen Sie, Ideen günstig zu testen, Ihrer Kundschaft genau zuzuhören und ein "
            "Publikum für das aufzubauen, was Sie anbieten, ohne gleich das ganze Geschäft "
            "aufs Spiel zu setzen. Tippgebende sind hier gefragt, wenn sie selbst etwas auf "
            "die Beine gestellt haben: ein Nebenprojekt, einen Kanal, einen Verein oder ein "
            "kleines Unternehmen."
        ),
    },
    {
        "slug": "life-work",
        "name": "Arbeit und Leben vereinbaren",
        "tagline": (
            "Flexible Arbeitszeiten, Zusammenarbeit auf Distanz und ein Tempo, das sich "
            "durchhalten lässt."
        ),
        "description": (
            "Lernen Sie die Gewohnheiten kennen, mit denen man konzentriert und verlässlich "
            "arbeitet und trotzdem ein Leben neben der Arbeit hat, und wie das für ein "
            "ganzes Team funktioniert. Tippgebende sind hier gefragt, wenn sie flexibel "
            "oder mobil arbeiten, zuverlässig liefern und erklären können, warum das "
            "klappt."
        ),
    },
]


CHALLENGES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------
    # Tech-savvy prowess
    # ------------------------------------------------------------------
    {
        "source_title": "Draft a document you owe this week with an AI assistant",
        "theme": "tech-savvy",
        "title": "Ein fälliges Dokument mit einem KI-Assistenten entwerfen",
        "learner_task": (
            "Wählen Sie ein Dokument, das Sie diese Woche schreiben müssen: ein "
            "Projekt-Update, eine Stellenanzeige, eine interne Richtlinie. Lassen Sie einen "
            "KI-Assistenten, den Ihre Organisation erlaubt, einen Entwurf schreiben. Sagen "
            "Sie ihm, wer den Text liest, wozu er dient und welche drei Punkte er abdecken "
            "muss. Überarbeiten Sie den Entwurf dann selbst.\n\n"
            "- Lassen Sie vertrauliche Namen und Zahlen aus dem Prompt heraus, sofern die "
            "Richtlinien Ihrer Organisation sie nicht ausdrücklich erlauben.\n"
            "- Erzählen Sie Ihrem Gegenüber, was der Entwurf gut getroffen hat und was Sie "
            "geändert haben.\n\n"
            "Es hat geklappt, wenn der Entwurf Ihnen eine brauchbare Struktur gegeben hat "
            "und Sie schneller fertig waren als sonst."
        ),
        "giver_prompt": (
            "Welchen Prompt oder welche Einstellung hätten Sie gern schon an Ihrem ersten "
            "Tag mit einem KI-Assistenten gekannt? Teilen Sie die genauen Worte, die Sie "
            "eintippen, oder ein kurzes Vorher-nachher-Beispiel. Zwei, drei Sätze genügen "
            "völlig."
        ),
        "links": [],
        "starter_tip": (
            "Geben Sie dem Assistenten vor der eigentlichen Aufgabe eine Rolle, ein "
            "Publikum und ein Format: *„Rolle: Lektorat. Zielgruppe: viel beschäftigte "
            "Führungskräfte. Format: fünf Stichpunkte mit je höchstens 15 Wörtern.“* Bitten "
            "Sie ihn dann, die Annahmen aufzulisten, die er getroffen hat. Korrigieren Sie "
            "diese in einer einzigen Folgenachricht, statt Ihren Prompt ganz neu zu "
            "schreiben. Meist ist der zweite Entwurf der, den man behält."
        ),
    },
    {
        "source_title": "Turn your last meeting notes into a one-page summary",
        "theme": "tech-savvy",
        "title": "Aus Besprechungsnotizen eine einseitige Zusammenfassung machen",
        "learner_task": (
            "Nehmen Sie Ihre Notizen aus einer Besprechung dieser Woche. Entfernen Sie "
            "alles Vertrauliche, fügen Sie den Text in einen KI-Assistenten ein, den Ihre "
            "Organisation erlaubt, und bitten Sie um eine einseitige Zusammenfassung mit "
            "Entscheidungen, Verantwortlichen und Fristen. Gleichen Sie das Ergebnis dann "
            "mit Ihrer eigenen Erinnerung ab und korrigieren Sie, was nicht stimmt.\n\n"
            "Es hat geklappt, wenn Sie die Zusammenfassung mit nur kleinen Änderungen an "
            "die Teilnehmenden schicken konnten und gemerkt haben, welche Art von Fehlern "
            "das Werkzeug gern macht."
        ),
        "giver_prompt": (
            "Wie prüfen Sie eine KI-Zusammenfassung, bevor Sie ihr trauen? Teilen Sie Ihre "
            "schnellste Gewohnheit oder eine Fehlerart, auf die Sie inzwischen achten. Eine "
            "Gewohnheit in ein, zwei Sätzen ist schon ein sehr guter Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Verlangen Sie die Zusammenfassung in einer festen Form: **Entscheidungen**, "
            "**Aufgaben (wer, bis wann)**, **Offene Fragen**. Stellen Sie dann eine zweite "
            "Frage: *„Welche dieser Punkte sind durch meine Notizen nicht eindeutig "
            "belegt?“* Assistenten füllen Lücken manchmal mit plausiblen Vermutungen, und "
            "so markieren sie diese selbst. Prüfen Sie Namen, Zahlen und Daten jedes Mal "
            "von Hand, bevor Sie etwas verschicken."
        ),
    },
    {
        "source_title": "Learn three shortcuts for the tool you use most",
        "theme": "tech-savvy",
        "title": "Drei Tastenkürzel für Ihr meistgenutztes Programm lernen",
        "learner_task": (
            "Denken Sie an das Programm, in dem Sie die meiste Zeit des Tages verbringen: "
            "E-Mail, Tabellenkalkulation, Präsentationen oder ein Chat-Tool. Fragen Sie Ihr "
            "Gegenüber: *„Auf welche drei Tastenkürzel oder Einstellungen würden Sie nie "
            "verzichten?“* Nutzen Sie sie eine Woche lang bei Ihrer normalen Arbeit. Kleben "
            "Sie sie auf einem Haftzettel an den Bildschirm, bis sie sitzen.\n\n"
            "Es hat geklappt, wenn sich mindestens eines davon bis Freitag ganz "
            "selbstverständlich anfühlt. Verraten Sie Ihrem Gegenüber im Gegenzug einen "
            "Trick, auf den Sie sich verlassen."
        ),
        "giver_prompt": (
            "Welche drei Tastenkürzel oder versteckten Einstellungen in einem "
            "Alltagswerkzeug (E-Mail, Tabellen, Präsentationen, Chat) sparen Ihnen am "
            "meisten Zeit? Nennen Sie das Programm und die Tasten. Eine kurze Liste genügt "
            "völlig."
        ),
        "links": [],
        "starter_tip": (
            "Lernen Sie das Kürzel, mit dem Sie alle anderen Befehle finden. In Google Docs "
            "und Google Tabellen durchsucht Alt+/ (auf dem Mac Option+/) alle Menüs. In "
            "Microsoft Office unter Windows springt Alt+M ins Suchfeld (in englischen "
            "Versionen Alt+Q). Tippen Sie ein, was Sie möchten, etwa *Tabelle einfügen*, "
            "und drücken Sie die Eingabetaste. Die meisten Programme listen ihre "
            "Tastenkürzel außerdem im Hilfe-Menü auf."
        ),
    },
    {
        "source_title": "Ask an AI assistant to explain a formula you inherited",
        "theme": "tech-savvy",
        "title": "Eine geerbte Formel von einem KI-Assistenten erklären lassen",
        "learner_task": (
            "Suchen Sie eine Tabelle, auf die Sie sich verlassen, die Sie aber nicht selbst "
            "gebaut haben, mit einer Formel, die Sie nie ganz verstanden haben. Kopieren "
            "Sie die Formel und die Spaltenüberschriften (nicht die Daten) in einen "
            "KI-Assistenten, den Ihre Organisation erlaubt. Bitten Sie um eine Erklärung "
            "Schritt für Schritt: Was macht die Formel, und wodurch würde sie falsch "
            "rechnen? Prüfen Sie dann einen Teil der Erklärung, indem Sie in einer Kopie "
            "der Datei einen Wert ändern.\n\n"
            "Es hat geklappt, wenn Sie die Formel jetzt jemandem im Team in einem Satz "
            "erklären können."
        ),
        "giver_prompt": (
            "Wenn Sie auf eine Formel, ein Skript oder eine Einstellung stoßen, die Sie "
            "nicht verstehen: Wie bringen Sie ein Werkzeug dazu, sie Ihnen zu erklären? "
            "Teilen Sie die Frage, die Sie dann meist stellen, gern wörtlich. Ein paar "
            "Zeilen genügen."
        ),
        "links": [],
        "starter_tip": (
            "Fragen Sie: *„Erkläre mir diese Formel so, als müsste ich sie künftig pflegen, "
            "und gib mir einen kleinen Test, der zeigt, dass sie funktioniert.“* Fügen Sie "
            "die Formel mit den Spaltenüberschriften ein, nie die echten Daten. Taucht in "
            "der Antwort eine Funktion auf, die Sie nicht kennen, bitten Sie um ein "
            "winziges Beispiel mit drei Zeilen. Probieren Sie Änderungen immer zuerst in "
            "einer Kopie der Datei aus."
        ),
    },
    {
        "source_title": "Add two-step sign-in to one work account",
        "theme": "tech-savvy",
        "title": "Ein Arbeitskonto mit Zwei-Faktor-Anmeldung absichern",
        "learner_task": (
            "Wählen Sie ein Konto, das Sie beruflich nutzen und das Ihre IT nicht "
            "verwaltet: ein Profil in einem beruflichen Netzwerk, ein Lieferantenportal, "
            "den Zugang zu Ihrer Firmenwebsite. Schalten Sie die "
            "Zwei-Faktor-Authentisierung ein: Sie bestätigen eine Anmeldung dann zusätzlich "
            "zum Passwort mit einem Code oder Ihrem Smartphone. Fragen Sie Ihr Gegenüber "
            "nach der bevorzugten Methode und dem Grund dafür.\n\n"
            "- Bewahren Sie die Backup-Codes an einem sicheren Ort auf, nicht in Ihrem "
            "E-Mail-Postfach.\n\n"
            "Es hat geklappt, wenn Sie sich abmelden und mit dem zweiten Schritt wieder "
            "anmelden können."
        ),
        "giver_prompt": (
            "Wie halten Sie Ihre eigenen Konten sicher, ohne dass es lästig wird? "
            "Authenticator-App, Passwortmanager, Passkeys: Teilen Sie die eine Gewohnheit, "
            "die Sie jemandem im Team empfehlen würden, und sagen Sie, warum. Eine kurze "
            "Antwort genügt."
        ),
        "links": [
            {
                "title": "Multi-Faktor-Authentisierung (Wikipedia)",
                "url": "https://de.wikipedia.org/wiki/Multi-Faktor-Authentisierung",
            },
        ],
        "starter_tip": (
            "Wenn eine Website beides anbietet, nehmen Sie lieber eine Authenticator-App "
            "als SMS: App-Codes lassen sich schwerer abfangen. Speichern Sie die "
            "Backup-Codes in einem Passwortmanager oder drucken Sie sie aus und bewahren "
            "Sie sie sicher auf, damit ein verlorenes Smartphone Sie nicht aussperrt. "
            "Bietet eine Website Passkeys an, probieren Sie einen aus: Sie melden sich dann "
            "mit Fingerabdruck oder Geräte-PIN an statt mit einem Passwort."
        ),
    },
    # ------------------------------------------------------------------
    # Diversity and inclusion
    # ------------------------------------------------------------------
    {
        "source_title": "Check one job advert for wording that narrows the field",
        "theme": "diversity-inclusion",
        "title": "Eine Stellenanzeige auf ausschließende Formulierungen prüfen",
        "learner_task": (
            "Nehmen Sie eine Stellenanzeige oder Rollenbeschreibung, die Ihr Team gerade "
            "verwendet, und lesen Sie sie mit den Hinweisen Ihres Gegenübers im Kopf. "
            "Achten Sie auf:\n\n"
            "- Anforderungen, die eigentlich Wünsche sind, etwa „zehn Jahre "
            "Berufserfahrung“, wo es eher auf Fähigkeiten ankommt\n"
            "- Fachjargon oder Redewendungen, die Außenstehende nicht kennen\n"
            "- Formulierungen, die nahelegen, dass nur ein bestimmter Typ Mensch passt\n\n"
            "Schreiben Sie drei Zeilen neu. Es hat geklappt, wenn die Anzeige kürzer ist, "
            "die Muss-Kriterien klar sind und jemand außerhalb Ihres Teams jede Zeile "
            "versteht."
        ),
        "giver_prompt": (
            "Wenn Sie eine Stellenanzeige lesen: Was lässt Sie denken „Das ist nichts für "
            "mich“, obwohl Sie die Aufgabe könnten? Nennen Sie eine Formulierung oder "
            "Anforderung, die abschreckt, und was Sie stattdessen schreiben würden. Zwei "
            "Sätze genügen."
        ),
        "links": [],
        "starter_tip": (
            "Teilen Sie die Anforderungen in *ab dem ersten Tag nötig* und *im Job "
            "erlernbar* auf, und halten Sie die erste Liste bei höchstens fünf Punkten. "
            "Viele fähige Menschen bewerben sich nur, wenn sie jeden genannten Punkt "
            "erfüllen; eine lange Wunschliste verkleinert also unbemerkt das Feld. "
            "Beschreiben Sie, was die Person tatsächlich tun wird, statt Jahre an Erfahrung "
            "zu verlangen, und sagen Sie klar, ob flexible Arbeitszeiten oder Teilzeit "
            "möglich sind."
        ),
    },
    {
        "source_title": "Give everyone a way in at your next meeting",
        "theme": "diversity-inclusion",
        "title": "In der nächsten Besprechung alle zu Wort kommen lassen",
        "learner_task": (
            "Wählen Sie eine regelmäßige Besprechung, die Sie diese Woche leiten oder "
            "besuchen. Probieren Sie eine Änderung aus, die Ihr Gegenüber vorschlägt, damit "
            "auch leisere Stimmen gehört werden, zum Beispiel:\n\n"
            "- die Tagesordnung und die wichtigste Frage einen Tag vorher verschicken\n"
            "- vor der offenen Diskussion einmal reihum fragen, im Raum oder im Call\n"
            "- schriftliche Beiträge im Chat oder in einem gemeinsamen Dokument einladen\n\n"
            "Notieren Sie danach, wer sich zu Wort gemeldet hat, der sonst eher still ist. "
            "Es hat geklappt, wenn mindestens eine neue Idee von jemandem kam, den Sie "
            "selten hören."
        ),
        "giver_prompt": (
            "Was hat eine Sitzungsleitung einmal getan, das es Ihnen oder jemand "
            "Zurückhaltenderem leichter gemacht hat, sich zu äußern? Oder was hat es "
            "schwerer gemacht? Ein konkretes Beispiel in wenigen Sätzen ist ein sehr guter "
            "Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Schicken Sie die eine Frage, um die es geht, einen Tag vorher herum, und "
            "beginnen Sie die Besprechung mit zwei Minuten stillem Schreiben in einem "
            "gemeinsamen Dokument oder im Chat, bevor jemand spricht. Wer lieber erst "
            "nachdenkt, in einer Fremdsprache arbeitet oder neu ist, bekommt so denselben "
            "Vorsprung wie die wenigen Selbstbewussten. Lesen Sie die Punkte ohne Namen vor "
            "und diskutieren Sie erst dann."
        ),
    },
    {
        "source_title": "Make the slides or document you share this week accessible",
        "theme": "diversity-inclusion",
        "title": "Folien oder Dokument dieser Woche barrierefrei machen",
        "learner_task": (
            "Nehmen Sie eine Präsentation oder ein Dokument, das Sie diese Woche "
            "weitergeben, und lassen Sie die eingebaute Barrierefreiheitsprüfung Ihres "
            "Programms laufen (viele Office-Programme haben sie unter „Überprüfen“ oder "
            "„Extras“). Beheben Sie, was sie findet, etwa:\n\n"
            "- Bilder und Diagramme ohne Textbeschreibung (Alternativtext)\n"
            "- zu wenig Kontrast zwischen Text und Hintergrund\n"
            "- Überschriften, die nur fett formatierter Text sind\n\n"
            "Es hat geklappt, wenn die Prüfung keine Fehler mehr meldet und jemand, der mit "
            "Screenreader oder Bildschirmlupe arbeitet, gut folgen könnte."
        ),
        "giver_prompt": (
            "Welche kleine Gewohnheit macht Dokumente, Folien oder Nachrichten für alle "
            "leichter nutzbar, auch für Menschen mit Behinderung? Alternativtext, "
            "Untertitel, echte Überschriften: Teilen Sie die eine, auf die Sie sich "
            "verlassen, und wie Sie sie schnell umsetzen. Eine kurze Antwort reicht."
        ),
        "links": [
            {
                "title": "Einführung in die Barrierefreiheit im Web (W3C WAI, englisch)",
                "url": "https://www.w3.org/WAI/fundamentals/accessibility-intro/",
            },
            {
                "title": "Alternativtexte für Bilder schreiben (W3C WAI, englisch)",
                "url": "https://www.w3.org/WAI/tutorials/images/",
            },
        ],
        "starter_tip": (
            "Schreiben Sie Alternativtexte, die sagen, was ein Bild *bedeutet*, nicht wie "
            "es aussieht: „Umsatz zwischen 2022 und 2024 verdoppelt“ hilft mehr als "
            "„Balkendiagramm“. Nutzen Sie echte Formatvorlagen für Überschriften statt "
            "fetter Schrift, damit Menschen mit Screenreader zwischen Abschnitten springen "
            "können. Schalten Sie in Videocalls und Aufzeichnungen Live-Untertitel ein; sie "
            "helfen auch in lauter Umgebung und allen, die in einer Fremdsprache arbeiten."
        ),
    },
    {
        "source_title": "Look at one process through an intersectional lens",
        "theme": "diversity-inclusion",
        "title": "Einen Prozess mit intersektionalem Blick betrachten",
        "learner_task": (
            "Bitten Sie Ihr Gegenüber, Intersektionalität in eigenen Worten zu erklären: "
            "die Idee, dass die Erfahrungen eines Menschen von mehreren Merkmalen zugleich "
            "geprägt sind, etwa Geschlecht, ethnischer Herkunft, Behinderung und sozialer "
            "Herkunft. Nehmen Sie dann einen Prozess oder Datensatz, für den Sie "
            "verantwortlich sind (eine Beförderungsliste, Umfrageergebnisse, eine "
            "Veranstaltungsplanung), und fragen Sie: Wer könnte hier zwischen zwei "
            "Kategorien durchs Raster fallen?\n\n"
            "Es hat geklappt, wenn Sie eine Frage gefunden haben, die Sie bisher nie "
            "gestellt haben, und sie für Ihre nächste Überprüfung notiert haben."
        ),
        "giver_prompt": (
            "Wie würden Sie jemandem im Team Intersektionalität in zwei Sätzen erklären, "
            "mit einem Beispiel aus dem Arbeitsalltag statt mit Theorie? Teilen Sie nur, "
            "was Sie teilen möchten: Ein allgemeines Beispiel funktioniert genauso gut wie "
            "ein persönliches. Kurz ist perfekt."
        ),
        "links": [
            {
                "title": "Intersektionalität (Wikipedia)",
                "url": "https://de.wikipedia.org/wiki/Intersektionalit%C3%A4t",
            },
        ],
        "starter_tip": (
            "Betrachten Sie Ihre Zahlen in Kombinationen, nicht nur eine Kategorie auf "
            "einmal. Eine Beförderungsquote, die für Frauen insgesamt fair aussieht und für "
            "Beschäftigte mit Migrationsgeschichte insgesamt auch, kann trotzdem eine Lücke "
            "bei Frauen mit Migrationsgeschichte verbergen. Sind die Gruppen klein, "
            "veröffentlichen Sie die Aufschlüsselung nicht, weil sich Einzelne erkennen "
            "ließen; nutzen Sie sie intern, um bessere Fragen zu stellen."
        ),
    },
    {
        "source_title": "Structure one interview so every candidate gets the same chance",
        "theme": "diversity-inclusion",
        "title": "Ein Vorstellungsgespräch für alle gleich fair aufbauen",
        "learner_task": (
            "Wenn Sie bald einstellen oder in einer Auswahlkommission sitzen, bereiten Sie "
            "ein Gespräch mit den Hinweisen Ihres Gegenübers vor:\n\n"
            "- stellen Sie allen Bewerbenden dieselben vier oder fünf Fragen\n"
            "- legen Sie vorher fest, wie eine starke Antwort aussieht\n"
            "- bewerten Sie jede Antwort einzeln, bevor Sie Notizen vergleichen\n\n"
            "Sie stellen gerade nicht ein? Nutzen Sie dieselben Schritte für eine "
            "Lieferantenpräsentation oder eine interne Bewerbung. Es hat geklappt, wenn "
            "Ihre Entscheidung auf schriftlichen Bewertungen beruht statt auf dem Gefühl, "
            "wer „gut ins Team passt“."
        ),
        "giver_prompt": (
            "Denken Sie an das beste und das schlechteste Vorstellungsgespräch oder "
            "Bewerbungsverfahren, das Sie erlebt haben. Was hat das faire Verfahren getan, "
            "das das andere nicht getan hat? Ein paar Sätze darüber, was geholfen hat, "
            "genügen."
        ),
        "links": [],
        "starter_tip": (
            "Schicken Sie den Bewerbenden Ablauf und Themen des Gesprächs vorab und sagen "
            "Sie ihnen, dass sie um Anpassungen bitten können. Das kostet Sie nichts und "
            "lässt Menschen ihre Fähigkeiten zeigen statt ihrer Nervosität. Lassen Sie alle "
            "im Gremium ihre Bewertung aufschreiben, bevor die Diskussion beginnt, damit "
            "nicht die ranghöchste Stimme im Raum das Ergebnis für alle vorgibt."
        ),
    },
    # ------------------------------------------------------------------
    # Adapting to rapid change
    # ------------------------------------------------------------------
    {
        "source_title": "Put this week's work on a simple task board",
        "theme": "rapid-change",
        "title": "Die Arbeit dieser Woche auf ein einfaches Aufgabenboard bringen",
        "learner_task": (
            "Bringen Sie die Aufgaben, die Sie und Ihr Team diese Woche haben, auf ein "
            "einfaches Board mit drei Spalten: **Offen**, **In Arbeit**, **Erledigt**. "
            "Nehmen Sie ein Whiteboard, Haftnotizen oder das Board-Werkzeug, das Ihre "
            "Organisation schon hat. Fragen Sie Ihr Gegenüber, wie man so ein Board "
            "übersichtlich hält, und verschieben Sie die Karten, wenn sich im Lauf der "
            "Woche etwas ändert.\n\n"
            "Es hat geklappt, wenn am Freitag alle mit einem Blick auf das Board sehen "
            "können, was feststeckt, ohne Sie fragen zu müssen."
        ),
        "giver_prompt": (
            "Wie behalten Sie oder Ihr Team den Überblick, wer was macht, wenn sich "
            "Prioritäten ständig verschieben? Teilen Sie das Werkzeug oder den "
            "Board-Aufbau, den Sie nutzen, und eine Regel, die es nützlich hält. Eine kurze "
            "Antwort genügt."
        ),
        "links": [
            {
                "title": "Kanban board (Wikipedia, englisch)",
                "url": "https://en.wikipedia.org/wiki/Kanban_board",
            },
        ],
        "starter_tip": (
            "Begrenzen Sie die Spalte **In Arbeit** auf zwei oder drei Karten pro Person. "
            "Kommt etwas Neues und Dringendes dazu, entscheidet das Team, welche Karte "
            "dafür herausfällt, statt einfach mehr aufzuladen. Formulieren Sie jede Karte "
            "als fertiges Ergebnis (*Überarbeitetes Budget an die Finanzabteilung "
            "schicken*) statt als Thema (*Budget*), damit alle wissen, wann sie nach "
            "**Erledigt** wandern kann."
        ),
    },
    {
        "source_title": "Run a 15-minute look-back on a recent change",
        "theme": "rapid-change",
        "title": "In 15 Minuten auf eine Veränderung zurückblicken",
        "learner_task": (
            "Wählen Sie etwas, das sich für Ihr Team kürzlich geändert hat: ein neues "
            "System, eine neue Berichtslinie, ein Prozess, der umgezogen ist. Nehmen Sie "
            "sich in Ihrer nächsten Teambesprechung 15 Minuten für drei Fragen:\n\n"
            "- Was lief gut?\n"
            "- Was war schwierig?\n"
            "- Was probieren wir nächste Woche anders?\n\n"
            "Vereinbaren Sie eine Maßnahme und wer sie verantwortet. Es hat geklappt, wenn "
            "diese Maßnahme bis zur nächsten Besprechung erledigt oder zumindest begonnen "
            "ist."
        ),
        "giver_prompt": (
            "Haben Sie schon einmal einen Rückblick erlebt (manche Teams sagen "
            "Retrospektive oder kurz Retro), der wirklich etwas verändert hat? Was hat ihn "
            "wirksam gemacht, oder warum waren andere Zeitverschwendung? Ein, zwei konkrete "
            "Punkte genügen völlig."
        ),
        "links": [],
        "starter_tip": (
            "Lassen Sie alle ihre Antworten zuerst still aufschreiben, auf Haftnotizen oder "
            "in einem gemeinsamen Dokument, und gruppieren Sie ähnliche Punkte, bevor "
            "jemand sie diskutiert. So bestimmt nicht die erste Wortmeldung das ganze "
            "Gespräch. Einigen Sie sich auf eine Maßnahme, nicht auf fünf: Eine Änderung, "
            "die das Team wirklich umsetzt, schafft mehr Vertrauen als eine lange Liste, "
            "der niemand nachgeht."
        ),
    },
    {
        "source_title": "Learn one feature of the new tool you only use for basics",
        "theme": "rapid-change",
        "title": "Mehr aus dem neuen Werkzeug holen: eine Funktion lernen",
        "learner_task": (
            "Denken Sie an ein Werkzeug, das Ihre Organisation eingeführt hat und das Sie "
            "nur für das Nötigste nutzen: einen gemeinsamen Arbeitsbereich, ein "
            "Projekt-Tool, eine neue Chat-Plattform. Fragen Sie Ihr Gegenüber: *„Welche "
            "Funktion nutzen Sie jeden Tag, die ich wahrscheinlich nicht kenne?“* Setzen "
            "Sie sie diese Woche bei echter Arbeit ein, zum Beispiel für etwas, dem Sie "
            "sonst per E-Mail hinterherlaufen würden.\n\n"
            "Es hat geklappt, wenn die Funktion Ihnen mindestens einen Schritt oder eine "
            "Nachricht erspart hat."
        ),
        "giver_prompt": (
            "Welche Funktion in einem Werkzeug Ihrer Organisation (Chat, gemeinsame "
            "Dokumente, Projekt-Tool) nutzen Sie täglich, die viele im Kollegium nie "
            "entdecken? Sagen Sie, was sie macht und wo man sie findet. Kurz ist bestens."
        ),
        "links": [],
        "starter_tip": (
            "In den meisten Chat-Tools können Sie in einem Thread direkt auf eine Nachricht "
            "antworten statt im Hauptkanal, und Sie können sich an jede Nachricht erinnern "
            "lassen, damit sie später wieder auftaucht. Zusammen ersetzen die beiden viele "
            "E-Mails der Sorte „Wollte nur mal nachhaken“: im Thread antworten, eine "
            "Erinnerung für den Tag des Nachfassens setzen, und das ganze Gespräch bleibt "
            "an einem Ort."
        ),
    },
    {
        "source_title": "Map who decides what after a reorganisation",
        "theme": "rapid-change",
        "title": "Nach einer Umstrukturierung klären, wer was entscheidet",
        "learner_task": (
            "Nach einer Umstrukturierung oder Fusion wandern Entscheidungen oft, bevor das "
            "Organigramm nachkommt. Nehmen Sie sich 20 Minuten, listen Sie die fünf "
            "Entscheidungen auf, von denen Ihre Arbeit am meisten abhängt (Budgetfreigabe, "
            "Einstellungen, Prioritäten, Werkzeuge, Lieferanten), und notieren Sie, wer sie "
            "heute trifft. Fragen Sie Ihr Gegenüber, wie man in einem neuen Umfeld "
            "herausfindet, wer wirklich entscheidet, und schließen Sie dann eine Lücke mit "
            "einem einzigen Gespräch.\n\n"
            "Es hat geklappt, wenn Sie für jede Entscheidung eine Person nennen können."
        ),
        "giver_prompt": (
            "Wenn Sie in ein neues Team kommen oder sich eine Organisation um Sie herum "
            "verändert: Wie finden Sie heraus, wer wirklich entscheidet und wie die Dinge "
            "laufen? Teilen Sie einen praktischen Trick, etwa eine Frage, die Sie stellen, "
            "oder eine Stelle, an der Sie nachsehen. Ein paar Sätze genügen."
        ),
        "links": [],
        "starter_tip": (
            "Fragen Sie nicht nur Führungskräfte, sondern auch die zuletzt Dazugekommenen: "
            "Wer neu ist, musste den echten Ablauf schnell lernen und weiß noch, was "
            "überrascht hat. Eine nützliche Frage ist *„Als so etwas zuletzt genehmigt "
            "wurde, über wen lief das?“* Schauen Sie sich auch aktuelle "
            "Besprechungseinladungen und gemeinsame Dokumente an; wer immer in Kopie steht, "
            "sagt oft mehr als das Organigramm."
        ),
    },
    {
        "source_title": "Try a ten-minute daily check-in for one week",
        "theme": "rapid-change",
        "title": "Eine Woche lang ein tägliches Zehn-Minuten-Treffen ausprobieren",
        "learner_task": (
            "Mit „agil“ meinen Menschen vieles: kurze Planungszyklen, häufiges Feedback, "
            "tägliche Abstimmungen. Fragen Sie Ihr Gegenüber, welche agile Gewohnheit das "
            "eigene Team tatsächlich pflegt, und warum. Probieren Sie dann eine Woche lang "
            "mit Ihrem Team ein tägliches Zehn-Minuten-Treffen aus, bei dem jede Person "
            "sagt, was sie abgeschlossen hat, was als Nächstes kommt und was ihr im Weg "
            "steht.\n\n"
            "Es hat geklappt, wenn mindestens ein Problem früh zur Sprache kam, das sonst "
            "erst spät aufgefallen wäre."
        ),
        "giver_prompt": (
            "Welche agile Gewohnheit hat Ihre Arbeitsweise am stärksten verändert: tägliche "
            "Abstimmungen, kurze Planungszyklen, regelmäßige Demos oder etwas anderes? "
            "Erklären Sie sie in einfachen Worten für jemanden, der vor allem die "
            "Schlagworte kennt. Eine kurze Antwort genügt."
        ),
        "links": [
            {
                "title": "Manifest für Agile Softwareentwicklung",
                "url": "https://agilemanifesto.org/iso/de/manifesto.html",
            },
        ],
        "starter_tip": (
            "Bleiben Sie bei zehn Minuten und drei Fragen: Was habe ich abgeschlossen, was "
            "mache ich als Nächstes, was steht mir im Weg? Probleme lösen Sie danach, nur "
            "mit den Beteiligten. Es geht nicht darum, der Führungskraft Bericht zu "
            "erstatten, sondern darum, Hindernisse zu erkennen, solange sie noch klein "
            "sind. Dauert es regelmäßig länger, teilen Sie die Gruppe oder wechseln Sie zu "
            "schriftlichen Updates."
        ),
    },
    # ------------------------------------------------------------------
    # Social media mastery
    # ------------------------------------------------------------------
    {
        "source_title": "Ask which two accounts keep your tip-giver up to date",
        "theme": "social-media",
        "title": "Zwei Quellen, die Ihr Gegenüber auf dem Laufenden halten",
        "learner_task": (
            "Fragen Sie Ihr Gegenüber: *„Welchen zwei Accounts, Newslettern oder Kanälen "
            "folgen Sie, um beruflich auf dem Laufenden zu bleiben, und warum?“* Folgen Sie "
            "beiden, auf der empfohlenen Plattform. Nehmen Sie sich diese Woche zehn "
            "Minuten, um zu lesen oder anzusehen, was dort erscheint, und halten Sie eine "
            "Idee fest, die Sie bei der Arbeit nutzen könnten.\n\n"
            "Es hat geklappt, wenn Sie etwas gefunden haben, das Sie sonst nicht gesehen "
            "hätten, und Ihrem Gegenüber sagen können, was es war."
        ),
        "giver_prompt": (
            "Welchen zwei Accounts, Newslettern, Podcasts oder Kanälen folgen Sie, um in "
            "Ihrem Fachgebiet oder dem Ihres Gegenübers auf dem Laufenden zu bleiben? Sagen "
            "Sie in einer Zeile, wofür sich jede Quelle lohnt. Diese kurze Liste ist schon "
            "der ganze Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Folgen Sie Menschen, die ihre Arbeit erklären, nicht nur großen "
            "Markenaccounts: Wer aus der Praxis teilt, was ausprobiert wurde und was dabei "
            "herauskam, bringt Ihnen am meisten bei. Auf den meisten Plattformen können Sie "
            "Beiträge in einer Sammlung speichern oder sich bei einer Handvoll Accounts "
            "benachrichtigen lassen; nutzen Sie das statt endlosen Scrollens. Entfolgen Sie "
            "nach zwei Wochen allem, was Ihnen nichts beigebracht hat."
        ),
    },
    {
        "source_title": "Refresh your professional profile in 20 minutes",
        "theme": "social-media",
        "title": "Ihr berufliches Profil in 20 Minuten auffrischen",
        "learner_task": (
            "Öffnen Sie Ihr Profil in dem beruflichen Netzwerk, das Sie am meisten nutzen. "
            "Aktualisieren Sie mit den Hinweisen Ihres Gegenübers drei Dinge:\n\n"
            "- eine Überschrift, die sagt, was Sie für wen tun, nicht nur Ihre "
            "Stellenbezeichnung\n"
            "- einen kurzen Info-Abschnitt in der Ich-Form\n"
            "- ein aktuelles Projekt, einen Vortrag oder ein Arbeitsergebnis\n\n"
            "Bitten Sie jemanden aus dem Kollegium, das Profil unvoreingenommen zu lesen. "
            "Es hat geklappt, wenn diese Person in einem Satz sagen kann, was Sie tun und "
            "warum man Sie kontaktieren sollte."
        ),
        "giver_prompt": (
            "Wenn Sie sich das berufliche Profil von jemandem ansehen: Was bringt Sie dazu, "
            "sich zu vernetzen oder Kontakt aufzunehmen, und was lässt Sie weiterscrollen? "
            "Nennen Sie eine konkrete Sache, die man ändern sollte. Zwei, drei Sätze sind "
            "ein sehr guter Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Schreiben Sie Ihre Überschrift für die Menschen, die Sie erreichen wollen: "
            "*„Ich helfe Industrieunternehmen, gute Ingenieurinnen und Ingenieure zu "
            "gewinnen und zu halten“* sagt mehr als *„HR-Managerin“*. Sorgen Sie dafür, "
            "dass die ersten zwei Zeilen Ihres Info-Abschnitts sitzen, denn oft ist das "
            "alles, was man vor „mehr anzeigen“ sieht. Nehmen Sie ein aktuelles, gut "
            "ausgeleuchtetes Foto, auf dem Ihr Gesicht den Großteil des Bildes ausfüllt."
        ),
    },
    {
        "source_title": "Record a 60-second video about something you know well",
        "theme": "social-media",
        "title": "Ein 60-Sekunden-Video über etwas aufnehmen, das Sie gut kennen",
        "learner_task": (
            "Wählen Sie eine Frage, die Ihnen Kundschaft oder Kollegium oft stellt. Nehmen "
            "Sie mit dem Smartphone ein Video von unter einer Minute auf, in dem Sie sie "
            "beantworten: Handy hochkant, gutes Licht. Fragen Sie Ihr Gegenüber, wie man so "
            "beginnt, dass die Leute dranbleiben. Sie müssen es nicht veröffentlichen: "
            "Sehen Sie es sich an, nehmen Sie es noch einmal auf und teilen Sie die bessere "
            "Fassung mit Ihrem Gegenüber oder jemandem im Team, dem Sie vertrauen.\n\n"
            "Es hat geklappt, wenn die Antwort in den ersten fünf Sekunden klar ist."
        ),
        "giver_prompt": (
            "Was bringt Sie dazu, ein kurzes Video über die ersten Sekunden hinaus "
            "anzusehen? Teilen Sie einen Tipp zu Einstieg, Bildausschnitt, Untertiteln oder "
            "Schnitt, den alle mit nur einem Smartphone umsetzen können. Eine kurze Antwort "
            "reicht."
        ),
        "links": [],
        "starter_tip": (
            "Beginnen Sie mit der Antwort oder dem Problem, nicht mit „Hallo, ich bin …“. "
            "Ein Einstieg wie *„Drei Dinge, die Kunden immer zu Rücksendungen fragen“* hält "
            "die Leute beim Video. Halten Sie das Smartphone hochkant auf Augenhöhe, "
            "schauen Sie in Richtung Fenster und fügen Sie Untertitel hinzu, denn viele "
            "sehen Videos ohne Ton. Die meisten Schnitt-Apps erzeugen Untertitel "
            "automatisch; prüfen Sie vor dem Posten die Schreibweise von Namen."
        ),
    },
    {
        "source_title": "Turn one piece of your work into a post people share",
        "theme": "social-media",
        "title": "Aus einem Arbeitsergebnis einen Beitrag machen, den man teilt",
        "learner_task": (
            "Wählen Sie etwas, das Ihr Team kürzlich abgeschlossen hat: ein Projekt, eine "
            "Lernerfahrung, eine Kundengeschichte, die Sie erzählen dürfen. Entwerfen Sie "
            "dazu einen kurzen Beitrag für die Plattform, auf der Ihr Publikum unterwegs "
            "ist. Mit den Hinweisen Ihres Gegenübers:\n\n"
            "- beginnen Sie mit einer Zeile, die neugierig auf den Rest macht\n"
            "- geben Sie eine nützliche Erkenntnis weiter statt einer Liste von Erfolgen\n"
            "- schließen Sie mit einer Frage\n\n"
            "Es hat geklappt, wenn Sie den Beitrag veröffentlicht haben oder Ihr Gegenüber "
            "sagt: „Dafür würde ich beim Scrollen anhalten.“"
        ),
        "giver_prompt": (
            "Was macht einen beruflichen Beitrag lesenswert, statt nur ein schnelles Like "
            "wert? Teilen Sie eine Überarbeitung als Vorher-nachher-Beispiel oder die erste "
            "Zeile eines Beitrags, der bei Ihnen oder bei jemandem, dem Sie folgen, "
            "funktioniert hat. Ein paar Sätze genügen."
        ),
        "links": [],
        "starter_tip": (
            "Schreiben Sie den Beitrag und löschen Sie dann den ersten Absatz: Der "
            "eigentliche Einstieg ist meist der zweite. Stellen Sie die Erkenntnis oder die "
            "Überraschung an den Anfang (*„Fast hätten wir dieses Projekt abgebrochen. Das "
            "hat uns umgestimmt.“*), nennen Sie die Beteiligten, wenn sie einverstanden "
            "sind, und schließen Sie mit einer echten Frage. Antworten Sie in den ersten "
            "Stunden auf Kommentare; Gespräche tragen weiter als Ankündigungen."
        ),
    },
    {
        "source_title": "Find out what your best-performing post did differently",
        "theme": "social-media",
        "title": "Herausfinden, was Ihr erfolgreichster Beitrag anders gemacht hat",
        "learner_task": (
            "Öffnen Sie die Statistik- oder Insights-Seite eines Accounts, den Sie für Ihr "
            "Unternehmen oder Ihr Team betreuen. Fragen Sie Ihr Gegenüber: *„Auf welche "
            "zwei Kennzahlen schauen Sie wirklich?“* Sehen Sie sich Ihre letzten zehn "
            "Beiträge an und suchen Sie den, der am häufigsten geteilt, gespeichert oder "
            "kommentiert wurde, nicht nur angesehen. Notieren Sie, was an ihm anders war: "
            "das Format, das Thema, die Uhrzeit.\n\n"
            "Es hat geklappt, wenn Sie eine Sache nennen können, die Sie im nächsten "
            "Beitrag öfter machen wollen."
        ),
        "giver_prompt": (
            "Wenn Sie prüfen, wie ein Beitrag oder ein Account läuft: Auf welche ein, zwei "
            "Zahlen achten Sie wirklich, und welche ignorieren Sie? Erklären Sie in ein, "
            "zwei Sätzen, warum. Kurz ist perfekt."
        ),
        "links": [],
        "starter_tip": (
            "Aufrufe sagen Ihnen, dass die Plattform Ihren Beitrag gezeigt hat; Teilen, "
            "Speichern und Kommentare sagen Ihnen, dass er Menschen etwas wert war. "
            "Vergleichen Sie Beiträge nach dem Anteil der Aufrufe, die zu einem Teilen "
            "führten, statt nach absoluten Zahlen, damit ein kleiner, aber geschätzter "
            "Beitrag nicht hinter einem großen, aber ignorierten verschwindet. Suchen Sie "
            "ein Muster über mindestens fünf Beiträge, bevor Sie Ihr ganzes Vorgehen "
            "ändern."
        ),
    },
    # ------------------------------------------------------------------
    # Entrepreneurial spirit
    # ------------------------------------------------------------------
    {
        "source_title": "Test one idea with five real people this week",
        "theme": "entrepreneurial",
        "title": "Eine Idee diese Woche mit fünf echten Menschen testen",
        "learner_task": (
            "Wählen Sie eine Idee, die Sie schon länger mit sich herumtragen: ein neues "
            "Angebot, eine Produktänderung, einen anderen Weg zur Kundschaft. Statt einen "
            "vollständigen Plan zu schreiben, beschreiben Sie sie in drei Sätzen und zeigen "
            "Sie sie fünf Menschen, die sie nutzen könnten. Fragen Sie:\n\n"
            "- Welches Problem würde das für Sie lösen?\n"
            "- Was tun Sie heute dagegen?\n"
            "- Würden Sie es nächsten Monat ausprobieren?\n\n"
            "Es hat geklappt, wenn Sie fünf ehrliche Antworten bekommen und eine Sache "
            "gelernt haben, die die Idee verändert."
        ),
        "giver_prompt": (
            "Wie haben Sie herausgefunden, ob eine Ihrer Ideen etwas taugt, bevor Sie echte "
            "Zeit oder echtes Geld hineingesteckt haben? Teilen Sie den günstigsten Test, "
            "den Sie je gemacht haben, und was er Ihnen gezeigt hat. Ein paar Sätze "
            "genügen."
        ),
        "links": [
            {
                "title": "Minimum Viable Product (Wikipedia)",
                "url": "https://de.wikipedia.org/wiki/Minimum_Viable_Product",
            },
        ],
        "starter_tip": (
            "Fragen Sie danach, was Menschen in der Vergangenheit getan haben, nicht "
            "danach, was sie künftig vielleicht tun würden. *„Wann ist Ihnen das zuletzt "
            "passiert, und was haben Sie dann gemacht?“* bringt ehrliche Antworten; "
            "*„Würden Sie das nutzen?“* meist nur höfliche. Bietet jemand an, "
            "vorzubestellen, sich anzumelden oder Sie mit einer Kollegin bekannt zu machen, "
            "ist das ein stärkeres Signal als jedes Kompliment."
        ),
    },
    {
        "source_title": "Swap one big plan for a two-week experiment",
        "theme": "entrepreneurial",
        "title": "Einen großen Plan gegen ein Zwei-Wochen-Experiment tauschen",
        "learner_task": (
            "Nehmen Sie sich eine Änderung vor, die Sie schon länger angehen wollten: ein "
            "neues Berichtsformat, einen anderen Umgang mit Anfragen, ein neues Angebot für "
            "die Kundschaft. Statt sie vollständig zu planen, schreiben Sie einen "
            "zweiwöchigen Versuch auf: was Sie ausprobieren, die eine Kennzahl, die zeigt, "
            "ob es geholfen hat, und das Datum, an dem Sie entscheiden, ob Sie ihn "
            "beibehalten, ändern oder beenden. Informieren Sie alle, die es betrifft.\n\n"
            "Es hat geklappt, wenn der Versuch begonnen hat und der Termin für die "
            "Auswertung in Ihrem Kalender steht."
        ),
        "giver_prompt": (
            "Welches kleine Experiment haben Sie ausprobiert und dann schnell beibehalten "
            "oder verworfen, statt monatelang darüber zu diskutieren? Es kann aus einem "
            "Job, einem Verein oder einem Nebenprojekt stammen. Sagen Sie, was Sie "
            "ausprobiert und wie Sie entschieden haben. Ein, zwei Sätze genügen."
        ),
        "links": [],
        "starter_tip": (
            "Schreiben Sie das Experiment vorher in einem Satz auf: *„Zwei Wochen lang "
            "werden wir [Änderung], und wir wissen, dass es funktioniert hat, wenn sich "
            "[Kennzahl] verbessert.“* Wählen Sie eine Kennzahl, die Sie ohnehin erfassen, "
            "etwa Antwortzeiten oder Anmeldungen, damit kein zusätzlicher Bericht nötig "
            "wird. Legen Sie den Termin für die Auswertung am ersten Tag fest. Ein "
            "Experiment zu beenden, das nicht funktioniert hat, ist ein Ergebnis und kein "
            "Scheitern."
        ),
    },
    {
        "source_title": "Run a 15-minute pre-mortem on a risky decision",
        "theme": "entrepreneurial",
        "title": "Eine riskante Entscheidung in 15 Minuten per Pre-Mortem prüfen",
        "learner_task": (
            "Wählen Sie eine Entscheidung, die bald ansteht: ein Produktstart, eine "
            "Einstellung, eine Investition, eine neue Partnerschaft. Stellen Sie sich mit "
            "ein, zwei Kolleginnen oder Kollegen vor, es ist ein Jahr später und die "
            "Entscheidung ist gescheitert. Listen Sie zehn Minuten lang alle Gründe dafür "
            "auf, und wählen Sie dann in fünf Minuten die zwei wahrscheinlichsten aus, mit "
            "je einem günstigen Schritt, der davor schützt.\n\n"
            "Es hat geklappt, wenn Sie mindestens eine Sache im Plan geändert oder ergänzt "
            "haben. Erzählen Sie Ihrem Gegenüber, welches Risiko Sie überrascht hat."
        ),
        "giver_prompt": (
            "Als Sie bei etwas ein Risiko eingegangen sind (einem Projekt, einer "
            "Weiterbildung, einem Umzug, einem Nebengewerbe): Wie haben Sie entschieden, "
            "dass es sich lohnt? Teilen Sie eine Frage oder Faustregel, die Sie dabei "
            "nutzen. Eine kurze Antwort genügt."
        ),
        "links": [
            {
                "title": "Pre-mortem (Wikipedia, englisch)",
                "url": "https://en.wikipedia.org/wiki/Pre-mortem",
            },
        ],
        "starter_tip": (
            "Legen Sie vorher fest, was Sie sich leisten können zu verlieren: die Zeit, das "
            "Geld oder das Wohlwollen, das Sie abschreiben könnten, wenn es schiefgeht. "
            "Fragen Sie dann, wie leicht sich die Entscheidung rückgängig machen lässt. "
            "Umkehrbare Entscheidungen können die Leute, die am nächsten an der Arbeit "
            "sind, schnell selbst treffen; nur die schwer umkehrbaren verdienen lange "
            "Besprechungen und eine Freigabe von oben."
        ),
    },
    {
        "source_title": "Tell one behind-the-scenes story from your work",
        "theme": "entrepreneurial",
        "title": "Eine Geschichte hinter den Kulissen Ihrer Arbeit erzählen",
        "learner_task": (
            "Fragen Sie Ihr Gegenüber, wie Creator ein Publikum rund um das aufbauen, was "
            "sie machen. Wählen Sie dann einen Blick hinter die Kulissen aus dieser Woche: "
            "wie etwas entsteht, ein Problem, das Ihr Team gelöst hat, jemand aus der "
            "Kundschaft, dem Sie geholfen haben (mit Einverständnis). Erzählen Sie ihn als "
            "kurze Geschichte im passenden Format: ein paar Fotos mit Bildunterschriften, "
            "eine kurze Sprachnachricht, ein Beitrag mit 200 Wörtern. Teilen Sie ihn in "
            "Ihrer Organisation oder öffentlich.\n\n"
            "Es hat geklappt, wenn jemand geantwortet, nachgefragt oder Ihre Geschichte "
            "weitergegeben hat."
        ),
        "giver_prompt": (
            "Was tun Creator, um ein treues Publikum aufzubauen, das klassische Unternehmen "
            "meist übersehen? Nennen Sie ein Beispiel aus Ihrer eigenen Arbeit oder von "
            "jemandem, dem Sie folgen. Zwei, drei Sätze sind ein sehr guter Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Zeigen Sie den Weg, nicht nur das fertige Produkt: Menschen fühlen sich mit "
            "dem Entwurf, der Korrektur und der Person verbunden, die die Arbeit macht. "
            "Wählen Sie ein Format, das Sie jede Woche wiederholen können, etwa *Was wir "
            "diese Woche repariert haben*, damit es schnell gemacht ist und Ihr Publikum es "
            "wiedererkennt. Ein regelmäßiger, ehrlicher Beitrag bewirkt mehr als ein "
            "gelegentlicher perfekter."
        ),
    },
    {
        "source_title": "Find an opportunity hiding in three customer complaints",
        "theme": "entrepreneurial",
        "title": "In drei Kundenbeschwerden eine Chance entdecken",
        "learner_task": (
            "Sammeln Sie drei aktuelle Beschwerden, Supportanfragen oder unbequeme Fragen "
            "von Kundschaft oder Kollegium. Fragen Sie Ihr Gegenüber, wie man sie als "
            "Chancen lesen kann. Schreiben Sie zu jeder einen Satz: *„Die Leute tun sich "
            "schwer mit X; wir könnten Y anbieten.“* Wählen Sie den vielversprechendsten "
            "und teilen Sie ihn mit einer Person, die Ihnen helfen könnte, ihn "
            "auszuprobieren.\n\n"
            "Es hat geklappt, wenn Sie eine Idee mit einem konkreten nächsten Schritt und "
            "einem Datum haben."
        ),
        "giver_prompt": (
            "Denken Sie an eine Situation, in der Sie ein Problem bemerkt haben, über das "
            "sich Menschen immer wieder beschwerten, und etwas dagegen unternommen haben, "
            "bei der Arbeit, im Studium oder online. Wie ist es Ihnen aufgefallen, und was "
            "haben Sie versucht? Ein paar Sätze genügen."
        ),
        "links": [
            {
                "title": "5-Why-Methode (Wikipedia)",
                "url": "https://de.wikipedia.org/wiki/5-Why-Methode",
            },
        ],
        "starter_tip": (
            "Achten Sie auf Notlösungen: selbst gebaute Tabellen, immer wieder gestellte "
            "Fragen, Schritte, die alle überspringen. Jede davon ist ein Bedarf, den Ihr "
            "aktuelles Angebot nicht deckt. Fragen Sie bei der häufigsten Beschwerde "
            "mehrmals „Warum?“, bis Sie bei einer Ursache ankommen, die Sie tatsächlich "
            "ändern können, und probieren Sie dann zuerst die kleinstmögliche Lösung aus."
        ),
    },
    # ------------------------------------------------------------------
    # Life-work integration
    # ------------------------------------------------------------------
    {
        "source_title": "Block two hours of focus time and protect it",
        "theme": "life-work",
        "title": "Zwei Stunden Fokuszeit blocken und verteidigen",
        "learner_task": (
            "Blocken Sie in Ihrem Kalender für nächste Woche zwei Stunden für Ihre "
            "wichtigste Aufgabe. Fragen Sie Ihr Gegenüber, wie man Fokuszeit schützt. "
            "Schalten Sie während des Blocks Benachrichtigungen aus, setzen Sie Ihren "
            "Status auf „konzentriert“ und schließen Sie Ihr Postfach.\n\n"
            "Es hat geklappt, wenn Sie die Aufgabe abgeschlossen oder deutlich "
            "vorangebracht haben und nichts Dringendes liegen geblieben ist. Erzählen Sie "
            "Ihrem Gegenüber, was es schwer gemacht hat, konzentriert zu bleiben."
        ),
        "giver_prompt": (
            "Wie schützen Sie Zeit für konzentriertes Arbeiten, wenn ständig Nachrichten "
            "eingehen? Teilen Sie Ihren Kalendertrick, Ihre Statusmeldung oder Ihre "
            "Einstellung für Benachrichtigungen. Eine Gewohnheit, in ein paar Sätzen "
            "beschrieben, ist ein sehr guter Tipp."
        ),
        "links": [
            {
                "title": "Timeboxing (Wikipedia, englisch)",
                "url": "https://en.wikipedia.org/wiki/Timeboxing",
            },
        ],
        "starter_tip": (
            "Tragen Sie Fokuszeit als echten Termin mit klarem Namen ein, etwa *Planung für "
            "Q3 schreiben*, damit Kolleginnen und Kollegen sie als Arbeit erkennen. "
            "Schalten Sie „Nicht stören“ ein und lassen Sie Anrufe nur von einer kurzen "
            "Liste von Personen für echte Notfälle durch. Sehen Sie zu festen Zeiten nach "
            "Nachrichten, zum Beispiel nach jedem Block, statt sofort, wenn sie eintreffen."
        ),
    },
    {
        "source_title": "Agree with your team how fast messages need a reply",
        "theme": "life-work",
        "title": "Im Team vereinbaren, wie schnell man antworten muss",
        "learner_task": (
            "Fragen Sie Ihr Team in der nächsten Besprechung oder schriftlich, wie schnell "
            "verschiedene Nachrichten wirklich eine Antwort brauchen. Vereinbaren Sie drei "
            "einfache Regeln, zum Beispiel:\n\n"
            "- dringend: Anruf\n"
            "- heute: Chatnachricht\n"
            "- diese Woche: E-Mail\n\n"
            "Schreiben Sie sie auf und teilen Sie sie. Fragen Sie Ihr Gegenüber nach den "
            "ungeschriebenen Regeln im eigenen Team. Es hat geklappt, wenn eine Woche "
            "später weniger Druck herrscht, alles sofort zu beantworten, und nichts "
            "Wichtiges untergegangen ist."
        ),
        "giver_prompt": (
            "Welche ungeschriebenen Regeln gibt es in Ihrem Team dazu, wie schnell man auf "
            "Nachrichten antwortet, auch außerhalb der Arbeitszeit? Was würden Sie ändern, "
            "wenn Sie könnten? Zwei, drei Sätze genügen völlig."
        ),
        "links": [],
        "starter_tip": (
            "Schreiben Sie die Erwartung in die Nachricht selbst: *„Eine Antwort bis "
            "Donnerstag reicht“* oder *„Dringend: Ich brauche bis 15 Uhr ein Ja oder "
            "Nein.“* Nutzen Sie die Funktion „Senden planen“ in Ihrem E-Mail- oder "
            "Chat-Programm, damit Nachrichten, die Sie abends schreiben, morgens ankommen. "
            "Wenn eine Führungskraft das tut, glaubt das Team nicht mehr, es müsse immer "
            "online sein, sobald die Führungskraft es ist."
        ),
    },
    {
        "source_title": "Replace one status meeting with written updates for a week",
        "theme": "life-work",
        "title": "Eine Woche lang schriftliche Updates statt Statusmeeting",
        "learner_task": (
            "Wählen Sie eine wiederkehrende Statusbesprechung, die Sie leiten oder "
            "besuchen. Ersetzen Sie sie eine Woche lang durch schriftliche Updates, die "
            "alle lesen, wann es ihnen passt: Jede Person schreibt bis zu einer "
            "vereinbarten Uhrzeit drei Zeilen (erledigt, als Nächstes, brauche Hilfe) in "
            "einen gemeinsamen Kanal oder ein gemeinsames Dokument. Fragen Sie Ihr "
            "Gegenüber, wie schriftliche Updates kurz bleiben und trotzdem gelesen werden. "
            "Halten Sie den Termin frei für alles, was ein Gespräch braucht.\n\n"
            "Es hat geklappt, wenn das Team dieselben Informationen hatte und den größten "
            "Teil der Stunde zurückgewonnen hat."
        ),
        "giver_prompt": (
            "Welche Besprechung hätte nach Ihrer Erfahrung auch eine Nachricht sein können, "
            "und wie hätten Sie diese geschrieben? Teilen Sie ein Format oder eine Regel, "
            "die schriftliche Updates nützlich macht, statt nur für mehr Rauschen zu "
            "sorgen. Eine kurze Antwort genügt."
        ),
        "links": [],
        "starter_tip": (
            "Nutzen Sie ein festes Format mit drei Zeilen, damit Updates in zwei Minuten "
            "geschrieben und in dreißig Sekunden gelesen sind: **Erledigt**, **Als "
            "Nächstes**, **Blockiert durch**. Sammeln Sie sie in einem Thread pro Woche, "
            "damit sie leicht zu finden sind. Die Führungskraft liest alle und antwortet "
            "noch am selben Tag auf jedes *Blockiert durch*; genau das lässt die Leute dem "
            "Format vertrauen."
        ),
    },
    {
        "source_title": "Learn how your tip-giver makes flexible working reliable",
        "theme": "life-work",
        "title": "Erfahren, wie Ihr Gegenüber flexibles Arbeiten verlässlich macht",
        "learner_task": (
            "Fragen Sie Ihr Gegenüber, wie flexibles Arbeiten im eigenen Alltag "
            "funktioniert: Arbeitszeiten, Arbeitsort, wie man erreichbar bleibt und wie man "
            "zeigt, was man geliefert hat. Nehmen Sie sich dann eine Regel in Ihrem eigenen "
            "Team vor (feste Anfangszeit, Bürotage, Besprechungszeiten) und fragen Sie: "
            "Geht es dabei um die Arbeit oder um Gewohnheit? Erzählen Sie im Gegenzug, was "
            "Teams geholfen hat, in denen Sie gearbeitet haben.\n\n"
            "Es hat geklappt, wenn Sie eine Änderung vorgeschlagen oder ausprobiert haben "
            "und prüfen können, ob die Ergebnisse gleich gut bleiben."
        ),
        "giver_prompt": (
            "Was sorgt dafür, dass flexibles oder mobiles Arbeiten bei Ihnen wirklich "
            "funktioniert, sodass Sie liefern und sich andere auf Sie verlassen können? "
            "Teilen Sie eine Praxis, etwa einen gemeinsamen Kalender, Kernzeiten oder eine "
            "wöchentliche Zusammenfassung. Ein paar Sätze genügen."
        ),
        "links": [],
        "starter_tip": (
            "Vereinbaren Sie ein paar Kernzeiten, in denen alle erreichbar sind, zum "
            "Beispiel von 10 bis 15 Uhr, und lassen Sie die Leute den Rest um ihr Leben "
            "herum einteilen. Bewerten Sie Arbeit danach, was geliefert wird, nicht danach, "
            "wer sichtbar online ist. Zeigen Sie Arbeitszeiten in gemeinsamen Kalendern, "
            "damit niemand raten muss. Werten Sie nach einem Monat mit dem Team aus: Was "
            "ist besser geworden, und was schwieriger?"
        ),
    },
    {
        "source_title": "End your week with a ten-minute shutdown routine",
        "theme": "life-work",
        "title": "Die Woche mit einem zehnminütigen Abschlussritual beenden",
        "learner_task": (
            "Nehmen Sie sich am Freitagnachmittag zehn Minuten, um die Woche abzuschließen:\n\n"
            "- notieren Sie, was Sie erledigt haben\n"
            "- schreiben Sie die drei wichtigsten Dinge für nächste Woche auf\n"
            "- erledigen oder parken Sie, was in Ihrem Postfach noch offen ist\n\n"
            "Fragen Sie Ihr Gegenüber, wie man am Ende eines Tages oder einer Woche "
            "abschaltet. Es hat geklappt, wenn Sie am Montag schon wussten, was Ihre erste "
            "Aufgabe ist, und am Wochenende weniger an die Arbeit gedacht haben."
        ),
        "giver_prompt": (
            "Wie schalten Sie am Ende des Tages oder der Woche von der Arbeit ab, damit Sie "
            "erholt zurückkommen? Teilen Sie ein Ritual, eine Einstellung oder eine Regel, "
            "die für Sie funktioniert. Ein, zwei Sätze sind ein sehr guter Tipp."
        ),
        "links": [],
        "starter_tip": (
            "Beenden Sie jeden Tag, indem Sie die erste Aufgabe für morgen auf einen Zettel "
            "schreiben; so kann Ihr Kopf sie loslassen. Verschieben Sie dienstliche E-Mail "
            "und Chat vom Startbildschirm Ihres Smartphones, oder pausieren Sie deren "
            "Benachrichtigungen ab einer festen Uhrzeit. Wenn Sie ab und zu spät arbeiten, "
            "planen Sie Ihre Nachrichten für den Morgen ein, damit Ihr Abend für andere "
            "keine Erwartungen setzt."
        ),
    },
]
