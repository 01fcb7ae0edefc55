"""Starter content for Turnabout: the six themes and their weekly challenges.

Pure data. Programme admins can add, retire and rename themes and challenges
later; this module only seeds a new programme with something good to send on
day one.

Field guide
-----------
THEMES (display order), each a dict with:
    slug         stable identifier, used by CHALLENGES["theme"]
    name         display name
    tagline      one line
    description  2-3 sentences for the landing page: what the learner gains
                 and what kind of tip-giver shines in this theme

CHALLENGES, each a dict with:
    theme         a THEMES slug
    title         under 70 characters, unique
    learner_task  Markdown, addressed to the learner, 40-120 words
    giver_prompt  Markdown, addressed to the tip-giver, 25-80 words
    links         list of {"title", "url"}; https only, may be empty
    starter_tip   Markdown, 30-90 words; sent to learners who got no
                  tip-giver this week
"""

from __future__ import annotations

from typing import Any

THEMES: list[dict[str, str]] = [
    {
        "slug": "tech-savvy",
        "name": "Tech-savvy prowess",
        "tagline": "New digital tools and AI assistants, shown by someone who uses them every day.",
        "description": (
            "Learn the shortcuts, settings and AI prompts that save real hours, "
            "one small try a week on work you already have. "
            "Tip-givers shine here if they live in their tools and can explain "
            "the one thing that made the difference for them."
        ),
    },
    {
        "slug": "diversity-inclusion",
        "name": "Diversity and inclusion",
        "tagline": (
            "Current thinking on representation and fair hiring, from colleagues who live it."
        ),
        "description": (
            "Pick up practical habits for fairer hiring, more inclusive meetings "
            "and documents everyone can use. "
            "Tip-givers shine here when they share what they have seen work, "
            "at school, in earlier jobs or in their communities, in their own "
            "words and only as much as they choose."
        ),
    },
    {
        "slug": "rapid-change",
        "name": "Adapting to rapid change",
        "tagline": "Staying effective through reorganisations, new tools and new ways of working.",
        "description": (
            "Learn the habits and collaboration tools that keep a team moving "
            "when plans, owners and systems change: short cycles, visible work "
            "and quick check-ins. "
            "Tip-givers shine here if they have recently joined a new team, "
            "system or way of working and worked out what actually helps."
        ),
    },
    {
        "slug": "social-media",
        "name": "Social media mastery",
        "tagline": "Short video, networking and building a name on today's platforms.",
        "description": (
            "Learn to post things people read and share, grow a useful "
            "professional network and present your work or business with "
            "confidence. "
            "Tip-givers shine here if they post, create, or simply know which "
            "accounts and formats are worth people's time."
        ),
    },
    {
        "slug": "entrepreneurial",
        "name": "Entrepreneurial spirit",
        "tagline": "Treating new ideas as opportunities and taking small, calculated risks.",
        "description": (
            "Learn to test ideas cheaply, listen closely to customers and build "
            "an audience around what you make, without betting the business. "
            "Tip-givers shine here if they have started something of their own: "
            "a side project, a channel, a society or a small business."
        ),
    },
    {
        "slug": "life-work",
        "name": "Life-work integration",
        "tagline": "Flexible hours, remote collaboration and a pace you can keep up.",
        "description": (
            "Learn the habits that let people do focused, reliable work and "
            "still have a life outside it, and how to make that work for a "
            "whole team. "
            "Tip-givers shine here if they work flexibly or remotely, deliver "
            "dependably, and can explain what makes it work."
        ),
    },
]


CHALLENGES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------
    # Tech-savvy prowess
    # ------------------------------------------------------------------
    {
        "theme": "tech-savvy",
        "title": "Draft a document you owe this week with an AI assistant",
        "learner_task": (
            "Pick one document you have to write this week: a project update, "
            "a job advert, a policy note. Ask an AI assistant your organisation "
            "allows to draft it. Tell it who will read it, what it is for and "
            "the three points it must cover. Then edit the draft yourself.\n\n"
            "- Leave confidential names and figures out of the prompt unless "
            "your organisation's policy allows them.\n"
            "- Tell your tip-giver what the draft got right and what you changed.\n\n"
            "It worked if the draft gave you a usable structure and you "
            "finished sooner than usual."
        ),
        "giver_prompt": (
            "What is the one prompt or setting you wish someone had shown you "
            "on your first day with an AI assistant? Share the exact words you "
            "type, or a quick before-and-after. Two or three sentences is plenty."
        ),
        "links": [],
        "starter_tip": (
            "Give the assistant a role, an audience and a format before the "
            'task: *"You are an editor. Write for busy directors. Use five '
            'bullet points of under 15 words each."* Then ask it to list the '
            "assumptions it made. Correct those in one follow-up message "
            "instead of rewriting your prompt from scratch. The second draft "
            "is usually the one worth keeping."
        ),
    },
    {
        "theme": "tech-savvy",
        "title": "Turn your last meeting notes into a one-page summary",
        "learner_task": (
            "Take your notes from a meeting you had this week. Remove anything "
            "sensitive, paste them into an AI assistant your organisation "
            "allows, and ask for a one-page summary listing decisions, owners "
            "and deadlines. Then read it against your own memory of the "
            "meeting and fix what it got wrong.\n\n"
            "It worked if you could send the summary to the attendees with "
            "only small edits, and you noticed which kinds of mistakes the "
            "tool tends to make."
        ),
        "giver_prompt": (
            "How do you check an AI summary before you trust it? Share your "
            "quickest habit, or a kind of mistake you have learned to look "
            "for. One habit in a sentence or two makes a great tip."
        ),
        "links": [],
        "starter_tip": (
            "Ask for the summary in a fixed shape: **Decisions**, **Actions "
            "(owner, date)**, **Open questions**. Then ask a second question: "
            '*"Which of these points are not clearly supported by my notes?"* '
            "Assistants sometimes fill gaps with plausible guesses, and this "
            "makes them flag their own. Check names, numbers and dates by hand "
            "every time before you send anything."
        ),
    },
    {
        "theme": "tech-savvy",
        "title": "Learn three shortcuts for the tool you use most",
        "learner_task": (
            "Think about the program you spend most of your day in: email, "
            "spreadsheets, slides or a chat tool. Ask your tip-giver which "
            "three shortcuts or settings they would never give up, and use "
            "them on your normal work for a week. Keep them on a sticky note "
            "by your screen until they stick.\n\n"
            "It worked if at least one of them feels automatic by Friday. "
            "In return, tell your tip-giver about one trick you rely on."
        ),
        "giver_prompt": (
            "Which three keyboard shortcuts or hidden settings in an everyday "
            "tool (email, spreadsheets, slides, chat) save you the most time? "
            "Name the tool and the keys. A short list is all it takes."
        ),
        "links": [],
        "starter_tip": (
            "Learn the shortcut that finds every other command. In Google Docs "
            "and Sheets, press Alt+/ (Option+/ on a Mac) to search all the "
            "menus. In Microsoft Office on Windows, Alt+Q jumps to the search "
            "box. Type what you want, such as *insert table*, and press Enter. "
            "Most tools also list their shortcuts under the Help menu."
        ),
    },
    {
        "theme": "tech-savvy",
        "title": "Ask an AI assistant to explain a formula you inherited",
        "learner_task": (
            "Find a spreadsheet you rely on but did not build, with a formula "
            "you have never quite understood. Copy the formula and the column "
            "headers (not the data) into an AI assistant your organisation "
            "allows. Ask it to explain, step by step, what the formula does "
            "and what would break it. Then test one part of the explanation "
            "by changing a value in a copy of the file.\n\n"
            "It worked if you can now explain the formula to a colleague in "
            "one sentence."
        ),
        "giver_prompt": (
            "When you meet a formula, a script or a setting you do not "
            "understand, how do you get a tool to explain it to you? Share "
            "the question you usually ask, word for word if you can. A couple "
            "of lines is plenty."
        ),
        "links": [],
        "starter_tip": (
            'Ask: *"Explain this formula as if I am going to maintain it, then '
            'give me one small test that would prove it works."* Paste the '
            "formula with its column headers, never the real data. If the "
            "answer mentions a function you do not know, ask for a tiny example "
            "with three rows. Always try changes in a copy of the file first."
        ),
    },
    {
        "theme": "tech-savvy",
        "title": "Add two-step sign-in to one work account",
        "learner_task": (
            "Pick one account you use for work that your IT team does not "
            "manage: a professional networking profile, a supplier portal, "
            "your business website login. Turn on two-step verification, "
            "where you confirm a sign-in with a code or your phone as well as "
            "your password. Ask your tip-giver which method they use and why.\n\n"
            "- Save the backup codes somewhere safe, not in your email.\n\n"
            "It worked if you can sign out and back in using the second step."
        ),
        "giver_prompt": (
            "How do you keep your own accounts safe without it becoming a "
            "chore? An authenticator app, a password manager, passkeys: share "
            "the one habit you would recommend to a colleague, and why. "
            "A short reply is plenty."
        ),
        "links": [
            {
                "title": "Multi-factor authentication (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Multi-factor_authentication",
            },
        ],
        "starter_tip": (
            "Where a site offers both, choose an authenticator app over text "
            "messages: app codes are harder to intercept. Save the backup codes "
            "in a password manager or print them and keep them somewhere safe, "
            "so losing your phone does not lock you out. If a site offers "
            "passkeys, try one: you sign in with your fingerprint or device PIN "
            "instead of a password."
        ),
    },
    # ------------------------------------------------------------------
    # Diversity and inclusion
    # ------------------------------------------------------------------
    {
        "theme": "diversity-inclusion",
        "title": "Check one job advert for wording that narrows the field",
        "learner_task": (
            "Take a job advert or role description your team uses now and "
            "read it with your tip-giver's advice in mind. Look for:\n\n"
            "- requirements that are really preferences, such as \"ten years' "
            'experience" where skills matter more\n'
            "- jargon or idioms an outsider would not know\n"
            "- wording that hints only one kind of person fits\n\n"
            "Rewrite three lines. It worked if the advert is shorter, the "
            "must-haves are clear, and a colleague outside your team "
            "understands every line."
        ),
        "giver_prompt": (
            'When you read a job advert, what makes you think "this is not '
            'for me", even when you could do the job? Name one phrase or '
            "requirement that puts people off, and what you would write "
            "instead. Two sentences are enough."
        ),
        "links": [],
        "starter_tip": (
            "Split the requirements into *must have on day one* and *can learn "
            "in the job*, and keep the first list to five items or fewer. Many "
            "capable people apply only if they meet every point listed, so a "
            "long wish list quietly shrinks your pool. Describe what the person "
            "will actually do instead of years of experience, and say plainly "
            "whether flexible hours or part-time work are possible."
        ),
    },
    {
        "theme": "diversity-inclusion",
        "title": "Give everyone a way in at your next meeting",
        "learner_task": (
            "Choose a regular meeting you run or attend this week. Try one "
            "change your tip-giver suggests so that quieter voices get heard, "
            "for example:\n\n"
            "- share the agenda and the key question a day ahead\n"
            "- go round the room, or the call, once before open discussion\n"
            "- invite written comments in the chat or a shared document\n\n"
            "Afterwards, note who spoke who usually does not. It worked if at "
            "least one new idea came from someone you rarely hear from."
        ),
        "giver_prompt": (
            "What is one thing a meeting chair did that made it easier for "
            "you, or someone quieter than you, to speak up? Or one thing that "
            "made it harder? A specific example in a few sentences is a great tip."
        ),
        "links": [],
        "starter_tip": (
            "Send the one question you need answered a day ahead, then open "
            "the meeting with two minutes of silent writing in a shared "
            "document or the chat before anyone talks. People who like to "
            "think first, who work in a second language or who are new get "
            "the same head start as the confident few. Read the points out "
            "without names, then discuss."
        ),
    },
    {
        "theme": "diversity-inclusion",
        "title": "Make the slides or document you share this week accessible",
        "learner_task": (
            "Take a presentation or document you are sharing this week and run "
            "your program's built-in accessibility checker (many office "
            "programs have one under Review or Tools). Fix what it finds, "
            "such as:\n\n"
            "- images and charts with no text description (alt text)\n"
            "- low contrast between text and background\n"
            "- headings that are only bold text\n\n"
            "It worked if the checker shows no errors and a colleague who uses "
            "a screen reader or zoom could follow it."
        ),
        "giver_prompt": (
            "What is one small habit that makes documents, slides or messages "
            "easier for everyone to use, including people with a disability? "
            "Alt text, captions, real headings: share the one you rely on and "
            "how you do it quickly. A short reply is fine."
        ),
        "links": [
            {
                "title": "Introduction to web accessibility (W3C WAI)",
                "url": "https://www.w3.org/WAI/fundamentals/accessibility-intro/",
            },
            {
                "title": "Images tutorial: writing alt text (W3C WAI)",
                "url": "https://www.w3.org/WAI/tutorials/images/",
            },
        ],
        "starter_tip": (
            "Write alt text that says what an image *means*, not what it looks "
            'like: "Sales doubled between 2022 and 2024" helps more than '
            '"bar chart". Use the real heading styles instead of bold text, '
            "so screen-reader users can jump between sections. On video calls "
            "and recordings, switch on live captions; they also help people in "
            "noisy places and people working in a second language."
        ),
    },
    {
        "theme": "diversity-inclusion",
        "title": "Look at one process through an intersectional lens",
        "learner_task": (
            "Ask your tip-giver how they understand intersectionality: the "
            "idea that a person's experience is shaped by several parts of who "
            "they are at once, such as gender, ethnicity, disability and "
            "class. Then take one process or data set you own (a promotion "
            "list, survey results, an event plan) and ask: who could fall "
            "between two categories here?\n\n"
            "It worked if you found one question you had not asked before and "
            "noted it for your next review."
        ),
        "giver_prompt": (
            "How would you explain intersectionality to a colleague in two "
            "sentences, using a workplace example rather than theory? Share "
            "only what you are comfortable sharing: a general example works "
            "just as well as a personal one. Short is perfect."
        ),
        "links": [
            {
                "title": "Intersectionality (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Intersectionality",
            },
        ],
        "starter_tip": (
            "Look at your numbers in combinations, not one category at a time. "
            "A promotion rate that looks fair for women overall, and fair for "
            "ethnic-minority staff overall, can still hide a gap for "
            "ethnic-minority women. If the groups are small, do not publish "
            "the breakdown, because people could be identified; use it "
            "privately to ask better questions."
        ),
    },
    {
        "theme": "diversity-inclusion",
        "title": "Structure one interview so every candidate gets the same chance",
        "learner_task": (
            "If you are hiring or sitting on a panel soon, prepare one "
            "interview with your tip-giver's advice:\n\n"
            "- ask every candidate the same four or five questions\n"
            "- decide beforehand what a strong answer looks like\n"
            "- score each answer on its own before comparing notes\n\n"
            "Not hiring? Use the same steps for a supplier pitch or an "
            "internal application. It worked if your decision rests on written "
            'scores rather than on who felt like "a good fit".'
        ),
        "giver_prompt": (
            "Think of the best and the worst interview or application process "
            "you have been through. What is one thing the fair one did that "
            "the other did not? A couple of sentences about what helped is "
            "plenty."
        ),
        "links": [],
        "starter_tip": (
            "Send candidates the interview format and topics in advance, and "
            "tell them they can ask for adjustments. It costs you nothing and "
            "lets people show their skills rather than their nerves. Have each "
            "panel member write their scores before the discussion starts, so "
            "the most senior voice in the room does not set the answer for "
            "everyone."
        ),
    },
    # ------------------------------------------------------------------
    # Adapting to rapid change
    # ------------------------------------------------------------------
    {
        "theme": "rapid-change",
        "title": "Put this week's work on a simple task board",
        "learner_task": (
            "Put the tasks you and your team have this week on a simple board "
            "with three columns: **To do**, **Doing**, **Done**. Use a "
            "whiteboard, sticky notes or whichever board tool your "
            "organisation already has. Ask your tip-giver how they keep theirs "
            "tidy, and move the cards as work changes during the week.\n\n"
            "It worked if, by Friday, anyone could glance at the board and see "
            "what was stuck without having to ask you."
        ),
        "giver_prompt": (
            "How do you or your team keep track of who is doing what when "
            "priorities keep shifting? Share the tool or board layout you use "
            "and one rule that keeps it useful. A short reply is plenty."
        ),
        "links": [
            {
                "title": "Kanban board (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Kanban_board",
            },
        ],
        "starter_tip": (
            "Limit the **Doing** column to two or three cards per person. When "
            "something new and urgent arrives, the team decides which card "
            "comes out instead of just adding more. Write each card as a "
            "finished outcome (*Send revised budget to finance*) rather than a "
            "topic (*Budget*), so everyone knows when it can move to **Done**."
        ),
    },
    {
        "theme": "rapid-change",
        "title": "Run a 15-minute look-back on a recent change",
        "learner_task": (
            "Pick something that changed for your team recently: a new system, "
            "a new reporting line, a process that moved. At your next team "
            "meeting, spend 15 minutes on three questions:\n\n"
            "- What went well?\n"
            "- What was hard?\n"
            "- What will we try differently next week?\n\n"
            "Agree one action and who owns it. It worked if that action is "
            "done, or at least started, by your next meeting."
        ),
        "giver_prompt": (
            "Have you been part of a look-back (some teams call it a "
            "retrospective) that actually changed something? What made it "
            "work, or what made others a waste of time? One or two concrete "
            "points is all it takes."
        ),
        "links": [],
        "starter_tip": (
            "Let people write their answers silently first, on sticky notes or "
            "in a shared document, then group similar points before anyone "
            "discusses them. This stops the first speaker from framing the "
            "whole conversation. Agree on one action, not five: one change the "
            "team actually makes builds more trust than a long list nobody "
            "follows up."
        ),
    },
    {
        "theme": "rapid-change",
        "title": "Learn one feature of the new tool you only use for basics",
        "learner_task": (
            "Think of a tool your organisation introduced that you use only "
            "for the basics: a shared workspace, a project tracker, a new chat "
            "platform. Ask your tip-giver for the one feature they use every "
            "day that you probably do not. Use it on real work this week, for "
            "example for something you would normally chase by email.\n\n"
            "It worked if the feature saved you at least one step or one "
            "message."
        ),
        "giver_prompt": (
            "In a tool your organisation uses (chat, shared documents, a "
            "project tracker), which feature do you use every day that many "
            "colleagues never discover? Say what it does and "
            "where to find it. Short is great."
        ),
        "links": [],
        "starter_tip": (
            "In most chat tools you can reply in a thread on a single message "
            "instead of in the main channel, and set a reminder on any message "
            "so it comes back to you later. Together they replace many "
            '"just checking in" emails: answer in the thread, set a reminder '
            "for the follow-up date, and the whole conversation stays in one "
            "place."
        ),
    },
    {
        "theme": "rapid-change",
        "title": "Map who decides what after a reorganisation",
        "learner_task": (
            "After a reorganisation or a merger, decisions often move before "
            "the org chart catches up. Spend 20 minutes listing the five "
            "decisions your work depends on most (budget sign-off, hiring, "
            "priorities, tools, suppliers) and write down who makes each one "
            "now. Ask your tip-giver how they find out who really decides in a "
            "new setting, then close one gap with a single conversation.\n\n"
            "It worked if you can name a person for every decision."
        ),
        "giver_prompt": (
            "When you join a new team, or an organisation changes around you, "
            "how do you work out who really makes decisions and how things get "
            "done? Share one practical trick: a question you ask or a place you "
            "look. A few sentences is plenty."
        ),
        "links": [],
        "starter_tip": (
            "Ask recent arrivals, not only managers: people who joined lately "
            "had to learn the real process fast and remember what surprised "
            'them. A useful question is *"Last time something like this got '
            'approved, who did it go through?"* Look at recent meeting invites '
            "and shared documents too; who is always copied in often tells you "
            "more than the org chart."
        ),
    },
    {
        "theme": "rapid-change",
        "title": "Try a ten-minute daily check-in for one week",
        "learner_task": (
            'People use "agile" to mean many things: short planning cycles, '
            "frequent feedback, daily check-ins. Ask your tip-giver which agile "
            "habit their team actually uses, and why. Then try a ten-minute "
            "daily check-in with your team for one week, where each person "
            "says what they finished, what is next and what is in their way.\n\n"
            "It worked if at least one problem came up early that would "
            "otherwise have surfaced late."
        ),
        "giver_prompt": (
            "Which agile habit has made the biggest difference to how you work: "
            "daily check-ins, short planning cycles, regular demos, something "
            "else? Explain it in plain words for someone who has mostly heard "
            "the buzzwords. A short reply is plenty."
        ),
        "links": [
            {
                "title": "Manifesto for Agile Software Development",
                "url": "https://agilemanifesto.org/",
            },
        ],
        "starter_tip": (
            "Keep it to ten minutes and three questions: what did I finish, "
            "what am I doing next, what is in my way. Solve problems afterwards "
            "with only the people involved. The point is not reporting to the "
            "manager; it is spotting blockers while they are still small. If it "
            "keeps running long, split the group or move to written updates."
        ),
    },
    # ------------------------------------------------------------------
    # Social media mastery
    # ------------------------------------------------------------------
    {
        "theme": "social-media",
        "title": "Ask which two accounts keep your tip-giver up to date",
        "learner_task": (
            "Ask your tip-giver which two accounts, newsletters or channels "
            "they follow to stay current in your field, and why. Follow both, "
            "on the platform they suggest. Spend ten minutes this week reading "
            "or watching what they post, and save one idea you could use at "
            "work.\n\n"
            "It worked if you found one thing you would not have seen "
            "otherwise, and you can tell your tip-giver what it was."
        ),
        "giver_prompt": (
            "Which two accounts, newsletters, podcasts or channels do you "
            "follow to stay current in your field, or in your learner's? Say "
            "in one line what each is good for. That short list is the whole "
            "tip."
        ),
        "links": [],
        "starter_tip": (
            "Follow people who explain their work, not only big brand "
            "accounts: practitioners who share what they tried and what "
            "happened teach the most. Most platforms let you save posts to a "
            "collection or get notified about a handful of accounts; use that "
            "instead of endless scrolling. After two weeks, unfollow anything "
            "that has not taught you something."
        ),
    },
    {
        "theme": "social-media",
        "title": "Refresh your professional profile in 20 minutes",
        "learner_task": (
            "Open your profile on the professional network you use most. With "
            "your tip-giver's advice, update three things:\n\n"
            "- a headline that says what you do and for whom, not only your "
            "job title\n"
            '- a short "about" section written in the first person\n'
            "- one recent project, talk or piece of work\n\n"
            "Ask a colleague to read it cold. It worked if they can say in one "
            "sentence what you do and why someone would get in touch."
        ),
        "giver_prompt": (
            "When you look at someone's professional profile, what makes you "
            "want to connect or get in touch, and what makes you scroll past? "
            "Share one specific thing to change. Two or three sentences make "
            "a great tip."
        ),
        "links": [],
        "starter_tip": (
            "Write your headline for the people you want to reach: "
            '*"Helping manufacturers hire and keep skilled engineers"* says '
            'more than *"HR Manager"*. Make the first two lines of your '
            '"about" section count, because that is often all people see '
            'before "see more". Use a recent, well-lit photo where your face '
            "fills most of the frame."
        ),
    },
    {
        "theme": "social-media",
        "title": "Record a 60-second video about something you know well",
        "learner_task": (
            "Pick one question customers or colleagues often ask you. Record a "
            "video of under a minute on your phone answering it, holding the "
            "phone upright, in good light. Ask your tip-giver how to open so "
            "people keep watching. You do not have to post it: watch it back, "
            "record it once more, and share the better take with your "
            "tip-giver or a trusted colleague.\n\n"
            "It worked if the answer is clear within the first five seconds."
        ),
        "giver_prompt": (
            "What makes you keep watching a short video past the first few "
            "seconds? Share one tip on openings, framing, captions or editing "
            "that anyone can use with just a phone. A short reply is enough."
        ),
        "links": [],
        "starter_tip": (
            'Start with the answer or the problem, not with "Hi, I\'m...". '
            'An opening such as *"Three things customers always ask about '
            'returns"* keeps people watching. Hold the phone upright at eye '
            "level, face a window, and add captions, because many people watch "
            "with the sound off. Most editing apps can create captions "
            "automatically; check the spelling of names before posting."
        ),
    },
    {
        "theme": "social-media",
        "title": "Turn one piece of your work into a post people share",
        "learner_task": (
            "Choose something your team finished recently: a project, a lesson "
            "learned, a customer story you have permission to tell. Draft a "
            "short post about it for the platform your audience uses. With "
            "your tip-giver's advice:\n\n"
            "- open with one line that makes people want to read on\n"
            "- give one useful lesson, not a list of achievements\n"
            "- end with a question\n\n"
            "It worked if you posted it, or your tip-giver says they would stop "
            "scrolling to read it."
        ),
        "giver_prompt": (
            "What makes a work post worth reading rather than just a quick "
            "like? Share one before-and-after edit, or the first line of a "
            "post that worked for you or someone you follow. A few sentences "
            "is plenty."
        ),
        "links": [],
        "starter_tip": (
            "Write the post, then delete the first paragraph: the real opening "
            "is usually the second one. Lead with the lesson or the surprise "
            '(*"We nearly cancelled this project. Here is what changed our '
            'minds."*), name the people involved if they agree, and end with a '
            "genuine question. Reply to comments in the first few hours; "
            "conversations travel further than announcements."
        ),
    },
    {
        "theme": "social-media",
        "title": "Find out what your best-performing post did differently",
        "learner_task": (
            "Open the analytics or insights page for one account you run, for "
            "your business or your team. Ask your tip-giver which two numbers "
            "they actually watch. Look at your last ten posts and find the one "
            "with the most shares, saves or comments, not just views. Note "
            "what was different about it: the format, the topic, the time of "
            "day.\n\n"
            "It worked if you can name one thing to do more of in your next post."
        ),
        "giver_prompt": (
            "When you check how a post or an account is doing, which one or "
            "two numbers do you really pay attention to, and which do you "
            "ignore? Explain why in a sentence or two. Short is perfect."
        ),
        "links": [],
        "starter_tip": (
            "Views tell you the platform showed your post; shares, saves and "
            "comments tell you people valued it. Compare posts by share rate "
            "(shares divided by views) rather than raw totals, so a small but "
            "loved post is not hidden by a big but ignored one. Look for a "
            "pattern across at least five posts before changing your whole "
            "approach."
        ),
    },
    # ------------------------------------------------------------------
    # Entrepreneurial spirit
    # ------------------------------------------------------------------
    {
        "theme": "entrepreneurial",
        "title": "Test one idea with five real people this week",
        "learner_task": (
            "Pick one idea you have been sitting on: a new service, a product "
            "change, a different way to reach customers. Instead of writing a "
            "full plan, describe it in three sentences and share it with five "
            "people who might use it. Ask:\n\n"
            "- What problem would this solve for you?\n"
            "- What do you do about it today?\n"
            "- Would you try it next month?\n\n"
            "It worked if you got five honest answers and learned one thing "
            "that changes the idea."
        ),
        "giver_prompt": (
            "How did you find out whether an idea of yours was any good before "
            "putting real time or money into it? Share the cheapest test you "
            "have run and what it told you. A few sentences is plenty."
        ),
        "links": [
            {
                "title": "Minimum viable product (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Minimum_viable_product",
            },
        ],
        "starter_tip": (
            "Ask about what people did in the past, not what they might do in "
            'the future. *"When did this last happen to you, and what did you '
            'do?"* gets honest answers; *"Would you use this?"* mostly gets '
            "polite ones. If someone offers to pre-order, sign up or introduce "
            "a colleague, that is a stronger signal than any compliment."
        ),
    },
    {
        "theme": "entrepreneurial",
        "title": "Swap one big plan for a two-week experiment",
        "learner_task": (
            "Take one change you have been meaning to make: a new report "
            "format, a different way to handle requests, a new offer for "
            "customers. Instead of planning it in full, write down a two-week "
            "trial: what you will try, the one measure that shows whether it "
            "helped, and the date you will decide to keep, change or drop it. "
            "Tell the people affected.\n\n"
            "It worked if the trial has started and the review date is in your "
            "calendar."
        ),
        "giver_prompt": (
            "What is a small experiment you tried and then kept or dropped "
            "quickly, instead of debating it for months? It can be from a job, "
            "a club or a side project. Say what you tried and how you decided. "
            "A couple of sentences is enough."
        ),
        "links": [],
        "starter_tip": (
            'Write the experiment as one sentence before you start: *"For two '
            "weeks we will [change], and we will know it worked if [measure] "
            'improves."* Pick a measure you already track, such as response '
            "time or sign-ups, so there is no extra reporting. Book the review "
            "on day one. Dropping an experiment that did not work is a result, "
            "not a failure."
        ),
    },
    {
        "theme": "entrepreneurial",
        "title": "Run a 15-minute pre-mortem on a risky decision",
        "learner_task": (
            "Pick a decision you are about to make: a launch, a hire, an "
            "investment, a new partner. With one or two colleagues, imagine it "
            "is a year from now and the decision has failed. Spend ten minutes "
            "listing every reason why, then five minutes picking the two most "
            "likely reasons and one cheap step to guard against each.\n\n"
            "It worked if you changed or added at least one thing in the plan. "
            "Tell your tip-giver which risk surprised you."
        ),
        "giver_prompt": (
            "When you took a risk on something (a project, a course, a move, a "
            "side business), how did you decide it was worth it? Share one "
            "question or rule of thumb you use. A short reply is enough."
        ),
        "links": [
            {
                "title": "Pre-mortem (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Pre-mortem",
            },
        ],
        "starter_tip": (
            "Decide in advance what you can afford to lose: the time, money or "
            "goodwill you would be fine writing off if it fails. Then ask how "
            "easy the decision is to reverse. Reversible decisions can be made "
            "quickly by the people closest to the work; only the hard-to-reverse "
            "ones deserve long meetings and senior sign-off."
        ),
    },
    {
        "theme": "entrepreneurial",
        "title": "Tell one behind-the-scenes story from your work",
        "learner_task": (
            "Ask your tip-giver how creators build an audience around what they "
            "make. Then pick one behind-the-scenes moment from this week: how "
            "something is made, a problem your team solved, a customer you "
            "helped (with their permission). Tell it as a short story in the "
            "format that fits: a few photos with captions, a short voice note, "
            "a 200-word post. Share it inside your organisation or publicly.\n\n"
            "It worked if someone replied, asked a question or passed it on."
        ),
        "giver_prompt": (
            "What is one thing creators do to build a loyal audience that "
            "traditional businesses usually miss? Give an example from your "
            "own work or from someone you follow. Two or three sentences make "
            "a great tip."
        ),
        "links": [],
        "starter_tip": (
            "Show the process, not only the finished product: people connect "
            "with the draft, the fix, the person doing the work. Pick one "
            "format you can repeat every week, such as *one thing we fixed "
            "this week*, so it is quick to make and easy for your audience to "
            "recognise. A regular, honest post does more than an occasional "
            "perfect one."
        ),
    },
    {
        "theme": "entrepreneurial",
        "title": "Find an opportunity hiding in three customer complaints",
        "learner_task": (
            "Gather three recent complaints, support requests or awkward "
            "questions from customers or colleagues. Ask your tip-giver how "
            "they would read them as opportunities. For each one, write a "
            'sentence: *"People struggle with X; we could offer Y."* Pick the '
            "most promising and share it with one person who could help you "
            "try it.\n\n"
            "It worked if you have one idea with a named next step and a date."
        ),
        "giver_prompt": (
            "Think of a time you noticed a problem people kept complaining "
            "about and did something about it, at work, at university or "
            "online. How did you spot it, and what did you try? A few "
            "sentences is plenty."
        ),
        "links": [
            {
                "title": "Five whys (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Five_whys",
            },
        ],
        "starter_tip": (
            "Look for workarounds: spreadsheets people built themselves, "
            "questions asked again and again, steps everyone skips. Each one "
            "is a need your current offer does not meet. On the most common "
            'complaint, ask "why?" several times until you reach a cause you '
            "could actually change, then try the smallest possible fix first."
        ),
    },
    # ------------------------------------------------------------------
    # Life-work integration
    # ------------------------------------------------------------------
    {
        "theme": "life-work",
        "title": "Block two hours of focus time and protect it",
        "learner_task": (
            "Look at your calendar for next week and block two hours for your "
            "most important piece of work. Ask your tip-giver how they protect "
            "their focus time. During the block, turn off notifications, set "
            "your status to show you are focusing, and close your inbox.\n\n"
            "It worked if you finished, or clearly moved forward, that piece "
            "of work, and nothing urgent was missed. Tell your tip-giver what "
            "made it hard to stay focused."
        ),
        "giver_prompt": (
            "How do you protect time for deep, focused work when messages keep "
            "arriving? Share your calendar trick, status message or "
            "notification setting. One habit described in a few sentences is "
            "a great tip."
        ),
        "links": [
            {
                "title": "Timeboxing (Wikipedia)",
                "url": "https://en.wikipedia.org/wiki/Timeboxing",
            },
        ],
        "starter_tip": (
            "Put focus time in your calendar as a real appointment with a clear "
            "name, such as *Writing the Q3 plan*, so colleagues see it as work. "
            'Turn on "do not disturb" and let calls through only from a short '
            "list of people for real emergencies. Check messages at set times, "
            "for example after each block, rather than the moment they arrive."
        ),
    },
    {
        "theme": "life-work",
        "title": "Agree with your team how fast messages need a reply",
        "learner_task": (
            "Ask your team, in your next meeting or in writing, how quickly "
            "different messages really need an answer. Agree three simple "
            "rules, for example:\n\n"
            "- urgent: phone call\n"
            "- today: chat message\n"
            "- this week: email\n\n"
            "Write them down and share them. Ask your tip-giver about the "
            "unwritten rules in their team. It worked if, a week later, people "
            "feel less pressure to answer everything instantly and nothing "
            "important slipped."
        ),
        "giver_prompt": (
            "What are the unwritten rules in your team about how fast to reply "
            "to messages, including outside working hours? What would you "
            "change if you could? Two or three sentences is plenty."
        ),
        "links": [],
        "starter_tip": (
            'Put the expectation in the message itself: *"No need to reply '
            'before Thursday"* or *"Urgent: I need a yes or no by 3pm."* Use '
            "the schedule-send option in your email or chat tool so messages "
            "you write in the evening arrive in the morning. When a manager "
            "does this, the team stops feeling it has to be online whenever "
            "the manager is."
        ),
    },
    {
        "theme": "life-work",
        "title": "Replace one status meeting with written updates for a week",
        "learner_task": (
            "Pick one recurring status meeting you run or attend. For one week, "
            "replace it with written updates that people read in their own "
            "time: each person posts three lines (done, next, need help) in a "
            "shared channel or document by an agreed time. Ask your tip-giver "
            "how they keep written updates short and actually read. Keep the "
            "slot free for anything that needs a conversation.\n\n"
            "It worked if the team got the same information and won back most "
            "of that hour."
        ),
        "giver_prompt": (
            "Which meeting in your experience could have been a message, and "
            "how would you have written it? Share one format or rule that makes "
            "written updates work instead of adding noise. A short reply is "
            "enough."
        ),
        "links": [],
        "starter_tip": (
            "Use a fixed three-line format so updates take two minutes to write "
            "and thirty seconds to read: **Done**, **Next**, **Blocked by**. "
            "Keep them in one thread per week so they are easy to find. The "
            "manager reads them all and answers every *Blocked by* the same "
            "day; that is what makes people trust the format."
        ),
    },
    {
        "theme": "life-work",
        "title": "Learn how your tip-giver makes flexible working reliable",
        "learner_task": (
            "Ask your tip-giver how flexible working works for them: hours, "
            "location, how they stay reachable and how they show what they "
            "have delivered. Then look at one rule in your own team (a fixed "
            "start time, office days, meeting times) and ask: is this about "
            "the work, or about habit? In return, share what has helped teams "
            "you have worked in.\n\n"
            "It worked if you proposed or tested one change, with a way to "
            "check that results held up."
        ),
        "giver_prompt": (
            "What makes flexible or remote working actually work for you, so "
            "that you deliver and colleagues can rely on you? Share one "
            "practice, such as a shared calendar, core hours or a weekly "
            "summary. A few sentences is plenty."
        ),
        "links": [],
        "starter_tip": (
            "Agree a few core hours when everyone is reachable, for example "
            "10am to 3pm, and let people arrange the rest around their lives. "
            "Judge work by what gets delivered, not by who is visibly online. "
            "Show working patterns in shared calendars so nobody has to guess. "
            "After a month, review with the team: what got better, and what "
            "got harder?"
        ),
    },
    {
        "theme": "life-work",
        "title": "End your week with a ten-minute shutdown routine",
        "learner_task": (
            "On Friday afternoon, spend ten minutes closing the week:\n\n"
            "- list what you finished\n"
            "- write down the three things that matter most next week\n"
            "- clear or park anything still open in your inbox\n\n"
            "Ask your tip-giver how they switch off at the end of a day or "
            "week. It worked if you started Monday knowing your first task, "
            "and thought about work less over the weekend."
        ),
        "giver_prompt": (
            "How do you switch off from work at the end of the day or week, so "
            "you come back fresh? Share one routine, setting or rule that works "
            "for you. A couple of sentences is a great tip."
        ),
        "links": [],
        "starter_tip": (
            "Finish each day by writing tomorrow's first task on a note, so "
            "your mind can let go of it. Move work email and chat off your "
            "phone's home screen, or pause their notifications after a set "
            "time. If you work late now and then, schedule your messages for "
            "the morning so your evening does not set expectations for others."
        ),
    },
]
