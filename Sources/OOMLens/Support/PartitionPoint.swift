extension RandomAccessCollection where Index == Int {
    /// The first position whose element satisfies `isAtOrAfter`, for a collection ordered so that the
    /// predicate is false and then true (`endIndex` when it never holds): a binary search.
    func partitionPoint(_ isAtOrAfter: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let mid = low + (high - low) / 2
            if isAtOrAfter(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
