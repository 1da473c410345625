# HMDB51 split 1, 16 frames at 224^2 (InTI, Appendix A), with the
# Kinetics-400 (ViFi-CLIP) pipeline; 51 classes.
_base_ = ['./k400_16x224_vifi-clip.py']
num_classes = 51
data_root = 'data/hmdb51/videos'
ann_file_train = 'data/hmdb51/hmdb51_train_split_1_videos.txt'
ann_file_val = 'data/hmdb51/hmdb51_val_split_1_videos.txt'
train_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root)))
val_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root)))
test_dataloader = dict(
    dataset=dict(
        num_classes=num_classes,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root)))
