// Package fixed is moby/moby#17176 as fixed: the early return releases the
// lock.
package fixed

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
	devices.Lock()
	if devices.nrDeletedDevices == 0 {
		devices.Unlock()
		return nil
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
