// Package moby17176 has the shape of moby/moby#17176: cleaning up deleted
// devices takes the device-set lock and returns early, when there is
// nothing to clean, without dropping it.
//
// kernel: double-lock moby/moby#17176
package moby17176

import "sync"

type devInfo struct {
	Hash    string
	Deleted bool
}

// DeviceSet manages thin devices.
type DeviceSet struct {
	sync.Mutex
	Devices          map[string]*devInfo
	nrDeletedDevices int
}

func (devices *DeviceSet) cleanupDeletedDevices() error {
	devices.Lock() // bug: lockpair
	if devices.nrDeletedDevices == 0 {
		return nil // bug: lockpair
	}
	var deleted []*devInfo
	for _, info := range devices.Devices {
		if info.Deleted {
			deleted = append(deleted, info)
		}
	}
	devices.Unlock()
	for _, info := range deleted {
		devices.deleteDevice(info)
	}
	return nil
}

func (devices *DeviceSet) deleteDevice(info *devInfo) {
	devices.Lock()
	defer devices.Unlock()
	delete(devices.Devices, info.Hash)
	devices.nrDeletedDevices--
}
