import ECStore
import ECLanguage

/// Where the learner is in the tutorial. The lessons run on `shop`, a session of
/// their own on an in-memory copy of the sample shop, so the learner's workspace
/// (whatever is loaded, any settings) is neither read nor changed.
struct TutorialState {
    var shop: Session?
    /// The lesson shown last (0-based).
    var lesson: Int?
    /// The open question of that lesson, until answered (or given away).
    var question: Question?
    var wrongTries = 0
    /// Lessons whose question was answered right.
    var answered: Set<Int> = []
}

/// `tutorial`, `tutorial next`, `tutorial N` and `answer VALUE`.
extension Session {
    func tutorial(_ step: TutorialStep) throws {
        let count = Lessons.all.count
        let index: Int
        switch step {
        case .current: index = tutorialState.lesson ?? 0
        case .next: index = (tutorialState.lesson ?? -1) + 1
        case .lesson(let n):
            guard n >= 1 && n <= count else { throw ShellError("there are \(count) lessons; choose 1 to \(count)") }
            index = n - 1
        }
        guard index < count else {
            emit("That was the last lesson (\(tutorialState.answered.count) of \(count) questions answered right). "
                + "Explore on your own: ecsh --demo opens the sample shop, help lists every command, explain NAME "
                + "tells more about any KPI or idea.")
            return
        }
        let shop = try tutorialShop()
        shop.options = options
        shop.options.echo = false
        let lesson = Lessons.all[index]
        tutorialState.lesson = index
        tutorialState.question = nil
        tutorialState.wrongTries = 0
        let width = TextWrap.width(isTerminal: out.isTerminal)
        emit(TextWrap.wrap("── Lesson \(index + 1) of \(count): \(lesson.title) ──", width: width))
        emit(TextWrap.wrap(lesson.text, width: width) + "\n")
        var tables: [ResultTable] = []
        shop.shownByLesson = []
        defer { shop.shownByLesson = nil }
        for statement in lesson.statements {
            emit("ecsh> \(statement)")
            shop.lastResult = nil
            guard shop.run(text: statement, sourceName: "<tutorial \(index + 1)>") else { throw AlreadyReported() }
            if let table = shop.lastResult { tables.append(table) }
        }
        let shown = Shown(tables: tables, every: shop.shownByLesson ?? [])
        let meaning = try lesson.interpret(shown)
        let question = try lesson.question(shown)
        emit("\n" + TextWrap.wrap("What this means: " + meaning, width: width))
        emit("\n" + TextWrap.wrap("Question: " + question.prompt, width: width))
        emit("Answer with: answer " + (question.wantsNumber ? "NUMBER" : "WORD")
            + "   (or try: \(lesson.tryNext), in ecsh --demo)")
        tutorialState.question = question
    }

    func answer(_ text: String) throws {
        guard let index = tutorialState.lesson, let question = tutorialState.question else {
            emit("No question is open: tutorial starts or resumes the lessons, and each lesson ends with one.")
            return
        }
        let width = TextWrap.width(isTerminal: out.isTerminal)
        let count = Lessons.all.count
        let next = index + 1 < count ? "Next: tutorial next (lesson \(index + 2) of \(count))." : "That was the last lesson."
        if question.accepts(text) {
            tutorialState.answered.insert(index)
            tutorialState.question = nil
            emit(TextWrap.wrap("Right. " + question.explanation, width: width))
            emit("\(next) Answered right so far: \(tutorialState.answered.count) of \(count).")
            return
        }
        tutorialState.wrongTries += 1
        if tutorialState.wrongTries >= 2 {
            tutorialState.question = nil
            emit(TextWrap.wrap("Not quite. The answer is \(question.answerText). " + question.explanation, width: width))
            emit(next)
        } else {
            let form = question.wantsNumber && Question.number(text.lowercased()) == nil ? " (answer with a number)" : ""
            emit(TextWrap.wrap("Not quite\(form). Hint: " + question.hint + " Try again: answer …", width: width))
        }
    }

    /// The tutorial's own session on an in-memory sample shop, made on first use.
    private func tutorialShop() throws -> Session {
        if let shop = tutorialState.shop { return shop }
        let shop = Session(database: try Database(path: nil), out: out, err: err, options: options)
        say("(the tutorial runs on its own in-memory copy of the sample shop; your workspace is untouched)")
        guard shop.loadDemo() else { throw AlreadyReported() }
        tutorialState.shop = shop
        return shop
    }
}
