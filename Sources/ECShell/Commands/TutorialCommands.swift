import ECStore
import ECLanguage

/// One lesson of the tutorial: a concept, the statement that shows it, and something to try.
struct Lesson {
    let title: String
    let text: String
    let statement: String
    let tryNext: String
}

/// `tutorial`, `tutorial next`, `tutorial N`: lessons on the sample shop.
extension Session {
    static let lessons: [Lesson] = [
        Lesson(title: "GMV is where everyone starts",
               text: "GMV adds up every counted order's amount. It is easy to grow by discounting and advertising, which is why it can mislead on its own. Cancelled and returned orders are not counted (show settings says which statuses count).",
               statement: "kpi gmv, revenue, orders, aov by quarter",
               tryNext: "kpi gmv by month chart"),
        Lesson(title: "The sales equation",
               text: "Sales = sessions × conversion rate × average order value. When sales move, one of the three moved; the _change columns say which, so you fix the right thing.",
               statement: "kpi sales by quarter",
               tryNext: "kpi sessions, cvr by channel"),
        Lesson(title: "Where the customers come from: malls and the own site",
               text: "Marketplaces bring buyers but keep the relationship and take commission. Mall dependence is the share of GMV sold through them; a falling share with stable GMV means customers are moving to the own site.",
               statement: "kpi gmv, mall_dependence by quarter",
               tryNext: "kpi gmv, commission by channel"),
        Lesson(title: "Do first-time buyers come back? F2 and repeat rate",
               text: "Most customers never place a second order. F2 conversion is the share of new buyers who do within 90 days; repeat rate is the share of all buyers with two or more orders.",
               statement: "kpi new_customers, f2_rate, repeat_rate by quarter",
               tryNext: "kpi f2_rate by first_channel"),
        Lesson(title: "Cohorts: retention month by month",
               text: "Group customers by the month of their first order and follow each group: the share that buys again 1, 2, 3 … months later. Read down a column to see whether newer cohorts stay better than older ones.",
               statement: "cohort retention by quarter periods 6",
               tryNext: "cohort retention by first_channel periods 6"),
        Lesson(title: "NPS: would customers recommend the shop?",
               text: "NPS = % promoters (9–10) − % detractors (0–6). With few responses the margin of error is wide, so ecsh shows it; compare groups with a significance test rather than by eye.",
               statement: "nps by quarter",
               tryNext: "segment repeaters = orders >= 2 ; segment one_timers = orders = 1 ; nps compare repeaters, one_timers"),
        Lesson(title: "Unit economics: does a customer pay back?",
               text: "CAC is ad spend per new customer; LTV is the contribution margin a customer brings over a horizon. LTV/CAC of 3 or more is a rule of thumb for healthy growth; payback is the month the margin covers CAC.",
               statement: "unit economics by channel horizon 12 months",
               tryNext: "cohort margin cumulative by quarter periods 8"),
        Lesson(title: "Customer equity: the value of the customers you have",
               text: "A model of buying and dropping out (BG/NBD) and of spend (Gamma-Gamma) predicts each customer's future margin. Its sum, customer equity, is what acquisition and retention build, and what GMV does not show.",
               statement: "predict ltv horizon 12 months",
               tryNext: "predict alive top 10"),
    ]

    func tutorial(_ step: TutorialStep) throws {
        var index: Int
        switch step {
        case .current: index = tutorialLesson ?? 0
        case .next: index = (tutorialLesson ?? -1) + 1
        case .lesson(let n):
            guard n >= 1 && n <= Self.lessons.count else {
                throw ShellError("there are \(Self.lessons.count) lessons; choose 1 to \(Self.lessons.count)")
            }
            index = n - 1
        }
        guard index < Self.lessons.count else {
            emit("That was the last lesson. Explore on your own: help lists every command, explain NAME tells more about any KPI.")
            return
        }
        if try !database.tableExists("orders") {
            say("(the tutorial uses the sample shop; loading it into this workspace)")
            guard loadDemo() else { throw AlreadyReported() }
        }
        tutorialLesson = index
        let lesson = Self.lessons[index]
        emit("Lesson \(index + 1) of \(Self.lessons.count): \(lesson.title)\n\n")
        emit(lesson.text + "\n\n")
        emit("ecsh> \(lesson.statement)")
        guard run(text: lesson.statement, sourceName: "<tutorial \(index + 1)>") else { throw AlreadyReported() }
        emit("\nTry: \(lesson.tryNext)")
        emit(index + 1 < Self.lessons.count ? "Then: tutorial next" : "This is the last lesson.")
    }
}
