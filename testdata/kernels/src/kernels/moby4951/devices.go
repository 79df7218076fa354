// Package moby4951 has the shape of moby/moby#4951: the device mapper's
// device set has a global lock and a lock per device. Deleting a device
// takes the device's lock and then the global lock to update the
// metadata; activating one takes the global lock and then the base
// device's lock.
//
// kernel: lock-order moby/moby#4951
package moby4951

import "sync"

type DevInfo struct {
	lock        sync.Mutex
	Hash        string
	mountCount  int
	TransientID int
}

// DeviceSet is the set of thin devices.
type DeviceSet struct {
	sync.Mutex
	Devices    map[string]*DevInfo
	nextFreeID int
}

func (devices *DeviceSet) lookupDevice(hash string) *DevInfo {
	devices.Lock()
	defer devices.Unlock()
	return devices.Devices[hash]
}

// DeleteDevice removes a device.
func (devices *DeviceSet) DeleteDevice(hash string) {
	info := devices.lookupDevice(hash)
	if info == nil {
		return
	}
	info.lock.Lock()
	defer info.lock.Unlock()
	devices.Lock() // bug: lockorder
	delete(devices.Devices, hash)
	devices.Unlock()
}

// AddDevice creates hash as a snapshot of baseHash.
func (devices *DeviceSet) AddDevice(hash, baseHash string) {
	devices.Lock()
	defer devices.Unlock()
	baseInfo := devices.Devices[baseHash]
	if baseInfo == nil {
		return
	}
	baseInfo.lock.Lock() // bug: lockorder
	defer baseInfo.lock.Unlock()
	devices.nextFreeID++
	devices.Devices[hash] = &DevInfo{Hash: hash, TransientID: devices.nextFreeID}
}
