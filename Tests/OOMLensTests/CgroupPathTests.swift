import Testing
@testable import OOMLens

@Suite struct CgroupPathTests {
    private static let cid = "25a38b5b8d556d7983d975577f5ac75ebbcfb4b269e6deaa0a0440c1ffc969ca"

    private func check(
        _ path: String, level: CgroupPath.Level, qos: String?, pod: String?, container: String?, runtime: String?,
        conmon: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let p = CgroupPath(path)
        #expect(p.level == level, sourceLocation: sourceLocation)
        #expect(p.qosClass == qos, sourceLocation: sourceLocation)
        #expect(p.podUID == pod, sourceLocation: sourceLocation)
        #expect(p.containerID == container, sourceLocation: sourceLocation)
        #expect(p.runtime == runtime, sourceLocation: sourceLocation)
        #expect(p.isConmon == conmon, sourceLocation: sourceLocation)
        #expect(p.path == path, sourceLocation: sourceLocation)
    }

    @Test func cgroupfsLayouts() {
        check("/kubepods/burstable/podcb4794b7-954b-4831-81cf-403d83ad22a4/a8638b0128b07b17bd22a5694da752d1c3b018b6237bdee4db906df6e4d1225d",
              level: .container, qos: "Burstable", pod: "cb4794b7-954b-4831-81cf-403d83ad22a4",
              container: "a8638b0128b07b17bd22a5694da752d1c3b018b6237bdee4db906df6e4d1225d", runtime: nil)
        check("/kubepods/burstable/podcb4794b7-954b-4831-81cf-403d83ad22a4", level: .pod, qos: "Burstable",
              pod: "cb4794b7-954b-4831-81cf-403d83ad22a4", container: nil, runtime: nil)
        check("/kubepods/besteffort/pod0c1b5d2e-9a77-4c1d-8f00-2f6a3b1c4d5e", level: .pod, qos: "BestEffort",
              pod: "0c1b5d2e-9a77-4c1d-8f00-2f6a3b1c4d5e", container: nil, runtime: nil)
        // Guaranteed pods sit right under kubepods.
        check("/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9",
              level: .container, qos: "Guaranteed", pod: "951f6bc5-c5a5-11ea-8707-80e455f266a2",
              container: "024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9", runtime: nil)
        check("/kubepods/pod200f55f9-b043-11ea-b578-fa163e82605e", level: .pod, qos: "Guaranteed",
              pod: "200f55f9-b043-11ea-b578-fa163e82605e", container: nil, runtime: nil)
    }

    @Test func systemdLayouts() {
        check("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/cri-containerd-\(Self.cid).scope",
              level: .container, qos: "Burstable", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: Self.cid,
              runtime: "containerd")
        check("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice",
              level: .pod, qos: "Burstable", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: nil, runtime: nil)
        check("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a.scope",
              level: .container, qos: "Burstable", pod: "0330b2c1-a15b-4cdd-b5e5-72d4a90bee82",
              container: "b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a", runtime: "docker")
        check("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/crio-\(Self.cid).scope",
              level: .container, qos: "BestEffort", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: Self.cid,
              runtime: "crio")
        check("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/crio-conmon-\(Self.cid).scope",
              level: .container, qos: "BestEffort", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: Self.cid,
              runtime: "crio", conmon: true)
        check("/kubepods.slice/kubepods-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/cri-containerd-\(Self.cid).scope",
              level: .container, qos: "Guaranteed", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: Self.cid,
              runtime: "containerd")
        // The published Harvester text has `kubepods-urstable.slice`: the pod slice still names the class.
        check("/kubepods.slice/kubepods-urstable.slice/kubepods-burstable-podef91e487_dec5_4613_800b_eb23e1a1617d.slice/cri-containerd-100093783c22a3ae1a42e21dd887b7c26eef52d56ba44c7273ef54507b6efe7c.scope",
              level: .container, qos: "Burstable", pod: "ef91e487-dec5-4613-800b-eb23e1a1617d",
              container: "100093783c22a3ae1a42e21dd887b7c26eef52d56ba44c7273ef54507b6efe7c", runtime: "containerd")
    }

    @Test func staticPodsKeepTheirHash() {
        check("/kubepods/burstable/podfdc306cbf97a0dbaee0206928d5441ca/\(Self.cid)", level: .container, qos: "Burstable",
              pod: "fdc306cbf97a0dbaee0206928d5441ca", container: Self.cid, runtime: nil)
        check("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podfdc306cbf97a0dbaee0206928d5441ca.slice",
              level: .pod, qos: "Burstable", pod: "fdc306cbf97a0dbaee0206928d5441ca", container: nil, runtime: nil)
    }

    @Test func outerPrefixesAreSkipped() {
        check("/lxc.payload.kube-node-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5931aa75_4603_4e65_b552_7c71cf55cfb5.slice/cri-containerd-\(Self.cid).scope",
              level: .container, qos: "Burstable", pod: "5931aa75-4603-4e65-b552-7c71cf55cfb5", container: Self.cid,
              runtime: "containerd")
        check("/sys/fs/cgroup/kubepods/burstable/pod77f06c5c-4593-43e9-b970-987f6ecb825b", level: .pod, qos: "Burstable",
              pod: "77f06c5c-4593-43e9-b970-987f6ecb825b", container: nil, runtime: nil)
    }

    @Test func nodeLevelsAndNonKubernetesPaths() {
        check("/", level: .root, qos: nil, pod: nil, container: nil, runtime: nil)
        check("/kubepods.slice", level: .kubepods, qos: nil, pod: nil, container: nil, runtime: nil)
        check("/kubepods/burstable", level: .qos, qos: "Burstable", pod: nil, container: nil, runtime: nil)
        check("/kubepods.slice/kubepods-besteffort.slice", level: .qos, qos: "BestEffort", pod: nil, container: nil, runtime: nil)
        check("/mem2", level: .other, qos: nil, pod: nil, container: nil, runtime: nil)
        check("/docker/2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50", level: .container, qos: nil,
              pod: nil, container: "2e088fe462e25e60be1dafafe2c05c47bda1a97978648d10ad2b7484fc0b8f50", runtime: "docker")
        check("/system.slice/docker-00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12.scope", level: .container,
              qos: nil, pod: nil, container: "00748bf4e957f82c239a1db8a88579059b7d40c7b5fbd3f43617d31d3f646f12", runtime: "docker")
        check("/machine.slice/machine-libpod_pod_4c2c5ff0e5b1.slice/libpod-\(Self.cid).scope", level: .container, qos: nil,
              pod: nil, container: Self.cid, runtime: "podman")
        check("/system.slice/containerd.service", level: .other, qos: nil, pod: nil, container: nil, runtime: nil)
        #expect(CgroupPath("/kubepods.slice").limitScope == .node)
        #expect(CgroupPath("/").limitScope == .node)
        #expect(CgroupPath("/mem2").limitScope == .other)
        #expect(CgroupPath("/kubepods/pod200f55f9-b043-11ea-b578-fa163e82605e").limitScope == .pod)
    }

    @Test func damagedPathsDoNotInventIDs() {
        // cadvisor's test constant: a stray space inside the UID.
        check("/kubepods/burstable/podfbdfe8e3-1c87-4ff2-907 c-b2ec8e25d012", level: .other, qos: "Burstable", pod: nil,
              container: nil, runtime: nil)
        check("/kubepods/burstable/podcb4794b7-954b-4831-81cf-403d83ad22a4/a8638b01", level: .pod, qos: "Burstable",
              pod: "cb4794b7-954b-4831-81cf-403d83ad22a4", container: nil, runtime: nil)
        check("", level: .other, qos: nil, pod: nil, container: nil, runtime: nil)
        check("////", level: .other, qos: nil, pod: nil, container: nil, runtime: nil)
        var seed: UInt64 = 99
        for _ in 0..<500 {
            let bytes = (0..<(xorshift(&seed) % 120)).map { _ in UInt8(truncatingIfNeeded: xorshift(&seed)) }
            _ = CgroupPath("/kubepods/" + String(decoding: bytes, as: UTF8.self))
        }
    }
}
