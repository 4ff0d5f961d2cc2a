/// The tutorial's lessons, in teaching order: from the GMV trap to customer equity.
enum Lessons {
    static let all: [Lesson] = [
        gmvTrap, salesEquation, mallCosts, repeatBuyers, activeMembers, cohorts, nps, unitEconomics,
        acquisitionQuality, predictedCLV, kpiTree, transition,
    ]
}
