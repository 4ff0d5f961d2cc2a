extension Expr {
    /// A chain of `and` (or `or`) operands as a balanced tree.
    ///
    /// `and` and `or` are associative (in SQL's three-valued logic too), so any grouping
    /// means the same; a balanced one is log2(n) deep instead of n, which keeps long
    /// chains clear of the stack and of SQLite's parser and expression-depth limits.
    /// Operands that are themselves chains of the same operator are flattened first,
    /// so the tree is canonical: printing it and parsing the text gives it back.
    /// Up to three operands the tree is the left-leaning one a left-associative parse gives.
    static func balancedChain(_ op: BinaryOperator, _ operands: [Expr]) -> Expr {
        var flat: [Expr] = []
        flat.reserveCapacity(operands.count)
        for operand in operands { operand.appendChainOperands(op, to: &flat) }
        return balanced(op, flat[...])
    }

    /// Appends this node's operands in order if it is a chain of `op`, else the node itself (without recursion).
    private func appendChainOperands(_ op: BinaryOperator, to flat: inout [Expr]) {
        var pending = [self]
        while let node = pending.popLast() {
            if case .binary(op, let left, let right) = node.kind {
                pending.append(right)
                pending.append(left)
            } else {
                flat.append(node)
            }
        }
    }

    private static func balanced(_ op: BinaryOperator, _ operands: ArraySlice<Expr>) -> Expr {
        if operands.count == 1, let only = operands.first { return only }
        let split = operands.startIndex + operands.count - operands.count / 2
        let left = balanced(op, operands[..<split]), right = balanced(op, operands[split...])
        return Expr(.binary(op, left, right), range: left.range.union(right.range))
    }
}
