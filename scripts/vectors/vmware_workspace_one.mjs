// VMware (Omnissa) Workspace ONE UEM event notifications (an assumption: not confirmed from
// Omnissa's docs here): no signature, the HTTP Basic user name and password set on the
// notification target; the preset's user is `workspace_one` (`basic_user` changes it), the
// password is the secret. No delivery id: a body digest.
import { credentialPreset } from "./lib.mjs";

const body = JSON.stringify({ EventId: 148, EventType: "Device Enrolled", DeviceId: 4711, DeviceFriendlyName: "Zoë's iPhone", EnrollmentEmailAddress: "zoe@example.com", EventTime: "2026-01-01T00:00:00Z" });
export const generator = "plain requests (an assumption: Workspace ONE sends the target's HTTP Basic credentials)";
export const { source, cases, signer } = credentialPreset({ type: "vmware_workspace_one", label: "vmware_workspace_one", user: "workspace_one", body });
